package dev.fraudinfra.engines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads every record of one topic from its start, in the background, for the whole scenario. */
final class TopicReader implements AutoCloseable {
  final String topic;
  private final List<ObjectNode> records = new ArrayList<>();
  private final Thread thread;
  private volatile boolean stopped;
  private volatile long lastReceivedAt = System.currentTimeMillis();

  TopicReader(String bootstrapServers, String topic, int partitions) {
    this.topic = topic;
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrapServers);
    p.put("key.deserializer", ByteArrayDeserializer.class.getName());
    p.put("value.deserializer", ByteArrayDeserializer.class.getName());
    // Flink's Kafka sink writes in transactions only under exactly-once; read what is committed.
    p.put("isolation.level", "read_committed");
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p);
    List<TopicPartition> assigned = new ArrayList<>();
    for (int i = 0; i < partitions; i++) assigned.add(new TopicPartition(topic, i));
    consumer.assign(assigned);
    consumer.seekToBeginning(assigned);
    thread = new Thread(() -> poll(consumer), "read-" + topic);
    thread.setDaemon(true);
    thread.start();
  }

  private void poll(KafkaConsumer<byte[], byte[]> consumer) {
    try (consumer) {
      while (!stopped) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
          ObjectNode n = JsonNodeFactory.instance.objectNode()
              .put("partition", r.partition())
              .put("offset", r.offset())
              .put("timestamp", r.timestamp())
              .put("receivedAt", System.currentTimeMillis());
          n.set("key", parse(r.key()));
          n.set("value", parse(r.value()));
          lastReceivedAt = System.currentTimeMillis();
          synchronized (records) {
            records.add(n);
            records.notifyAll();
          }
        }
      }
    }
  }

  private static JsonNode parse(byte[] bytes) {
    if (bytes == null) return JsonNodeFactory.instance.nullNode();
    try {
      return Main.JSON.readTree(bytes);
    } catch (Exception e) {
      return JsonNodeFactory.instance.textNode(new String(bytes, StandardCharsets.UTF_8));
    }
  }

  /** Waits until `condition` holds for the records read so far; false when `timeout` passes first. */
  boolean await(java.util.function.Predicate<List<ObjectNode>> condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (records) {
      while (!condition.test(records)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return false;
        records.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  long lastReceivedAt() {
    return lastReceivedAt;
  }

  ArrayNode snapshot() {
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    synchronized (records) {
      records.forEach(out::add);
    }
    return out;
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.join(5_000);
  }
}
