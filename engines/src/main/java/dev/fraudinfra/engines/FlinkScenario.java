package dev.fraudinfra.engines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Runs long-running statements on Flink against a real Kafka broker, step by step, and reports every
 * record the watched topics received. The driver decides what to send and when, and asserts on the
 * records; this side only does what each step says.
 *
 * Request: {"kafkaPort", "config", "topics": [{"name", "partitions", "config"}], "ddl": [sql],
 *   "watch"?: [topic] (the topics whose records come back; all when absent),
 *   "steps": [{"op": "produce", "topic", "records": [{"key", "value", "timestamp"}]}
 *           | {"op": "start", "job", "sql", "config", "settleMs"?} | {"op": "stop", "job"}
 *           | {"op": "await", "topic", "match"?, "count"?, "timeoutMs"?}
 *           | {"op": "quiet", "topic", "ms"} | {"op": "sleep", "ms"}
 *           | {"op": "traffic", …} | {"op": "users", …} (TrafficGenerator, for the benchmark)]}.
 * Response: "topics": {name: [{"key", "value", "timestamp", "receivedAt", ...}]},
 *   "steps": [{"op", "ms", "produced"?}], and "error" when a step failed.
 */
final class FlinkScenario {
  private FlinkScenario() {}

  static void run(JsonNode request, ObjectNode response) throws Exception {
    Map<String, TopicReader> readers = new LinkedHashMap<>();
    Map<String, JobClient> jobs = new HashMap<>();
    ArrayNode stepLog = response.putArray("steps");
    try (KafkaBroker broker = KafkaBroker.start(request.path("kafkaPort").asInt());
        KafkaProducer<byte[], byte[]> producer = producer(broker.bootstrapServers);
        LocalCluster cluster = LocalCluster.start()) {
      createTopics(broker.bootstrapServers, request.path("topics"));
      for (JsonNode t : request.path("topics")) {
        String name = t.path("name").asText();
        if (request.has("watch") && !contains(request.path("watch"), name)) continue;
        readers.put(name, new TopicReader(broker.bootstrapServers, name, t.path("partitions").asInt(1)));
      }
      try {
        for (JsonNode step : request.path("steps")) {
          long started = System.nanoTime();
          ObjectNode logged = stepLog.addObject().put("op", step.path("op").asText());
          switch (step.path("op").asText()) {
            case "produce" -> logged.set("produced", produce(producer, step));
            case "traffic" -> logged.set("traffic", TrafficGenerator.run(producer, step));
            case "users" -> logged.put("users", TrafficGenerator.users(producer, step));
            case "start" -> jobs.put(step.path("job").asText(), start(cluster, request, step));
            case "stop" -> jobs.remove(step.path("job").asText()).cancel().get();
            case "await" -> await(readers, step);
            case "quiet" -> quiet(readers, step);
            case "sleep" -> Thread.sleep(step.path("ms").asLong());
            default -> throw new IllegalArgumentException("unknown step " + step);
          }
          logged.put("ms", (System.nanoTime() - started) / 1_000_000);
        }
      } finally {
        for (JobClient job : jobs.values()) job.cancel().get();
        ObjectNode topics = response.putObject("topics");
        for (TopicReader r : readers.values()) {
          r.close();
          topics.set(r.topic, r.snapshot());
        }
      }
    }
  }

  private static boolean contains(JsonNode array, String value) {
    for (JsonNode n : array) if (n.asText().equals(value)) return true;
    return false;
  }

  private static KafkaProducer<byte[], byte[]> producer(String bootstrapServers) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrapServers);
    p.put("key.serializer", ByteArraySerializer.class.getName());
    p.put("value.serializer", ByteArraySerializer.class.getName());
    p.put("linger.ms", "0");
    return new KafkaProducer<>(p);
  }

  private static void createTopics(String bootstrapServers, JsonNode topics) throws Exception {
    List<NewTopic> created = new ArrayList<>();
    for (JsonNode t : topics) {
      Map<String, String> config = new HashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = t.path("config").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        config.put(e.getKey(), e.getValue().asText());
      }
      created.add(new NewTopic(t.path("name").asText(), t.path("partitions").asInt(1), (short) 1).configs(config));
    }
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrapServers);
    try (Admin admin = Admin.create(p)) {
      admin.createTopics(created).all().get();
    }
  }

  /** Sends the records in order, each acknowledged before the next; returns their broker timestamps. */
  private static ArrayNode produce(KafkaProducer<byte[], byte[]> producer, JsonNode step) throws Exception {
    ArrayNode stamps = Main.JSON.createArrayNode();
    for (JsonNode r : step.path("records")) {
      Long timestamp = r.hasNonNull("timestamp") ? r.path("timestamp").asLong() : null;
      ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(
          step.path("topic").asText(), null, timestamp, bytes(r.path("key")), bytes(r.path("value")));
      RecordMetadata m = producer.send(record).get();
      stamps.add(m.timestamp());
    }
    return stamps;
  }

  private static byte[] bytes(JsonNode n) throws Exception {
    return n.isMissingNode() || n.isNull() ? null : Main.JSON.writeValueAsBytes(n);
  }

  /** Submits the INSERT in a fresh TableEnvironment holding the scenario's tables, and waits for it to run. */
  private static JobClient start(LocalCluster cluster, JsonNode request, JsonNode step) throws Exception {
    TableEnvironment env = cluster.tableEnvironment();
    Engines.apply(env, request.path("config"));
    Engines.apply(env, step.path("config"));
    for (JsonNode ddl : request.path("ddl")) env.executeSql(ddl.asText());
    JobClient job = env.executeSql(step.path("sql").asText()).getJobClient().orElseThrow();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (job.getJobStatus().get() != JobStatus.RUNNING) {
      if (job.getJobStatus().get().isTerminalState() || System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "job " + step.path("job").asText() + " did not start: " + job.getJobStatus().get());
      }
      Thread.sleep(50);
    }
    // A job that starts from the latest offset must have resolved it before the next step sends.
    Thread.sleep(step.path("settleMs").asLong(0));
    return job;
  }

  /** Waits until the topic holds `count` records (default 1) whose value has every field of `match`. */
  private static void await(Map<String, TopicReader> readers, JsonNode step) throws Exception {
    TopicReader reader = reader(readers, step);
    JsonNode match = step.path("match");
    int count = step.path("count").asInt(1);
    Predicate<List<ObjectNode>> condition =
        records -> records.stream().filter(r -> matches(r.path("value"), match)).count() >= count;
    Duration timeout = Duration.ofMillis(step.path("timeoutMs").asLong(60_000));
    if (!reader.await(condition, timeout)) {
      ArrayNode received = reader.snapshot();
      String last = received.isEmpty() ? "nothing" : received.get(received.size() - 1).toString();
      throw new IllegalStateException("await on " + reader.topic + " timed out after " + timeout.toMillis()
          + " ms waiting for " + step + "; received " + received.size() + " record(s), the last " + last);
    }
  }

  /** Waits until the topic has received nothing for `ms`: whatever was on its way has arrived. */
  private static void quiet(Map<String, TopicReader> readers, JsonNode step) throws Exception {
    TopicReader reader = reader(readers, step);
    long quietMs = step.path("ms").asLong(1_000);
    long deadline = System.currentTimeMillis() + step.path("timeoutMs").asLong(60_000);
    while (System.currentTimeMillis() - reader.lastReceivedAt() < quietMs) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(reader.topic + " never went quiet for " + quietMs + " ms");
      }
      Thread.sleep(50);
    }
  }

  private static TopicReader reader(Map<String, TopicReader> readers, JsonNode step) {
    TopicReader reader = readers.get(step.path("topic").asText());
    if (reader == null) throw new IllegalArgumentException("unwatched topic in " + step);
    return reader;
  }

  /** True when every field of `match` equals the record value's field (numbers by value). */
  private static boolean matches(JsonNode value, JsonNode match) {
    for (Iterator<Map.Entry<String, JsonNode>> it = match.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode actual = value.path(e.getKey());
      JsonNode want = e.getValue();
      boolean same = actual.isNumber() && want.isNumber()
          ? actual.decimalValue().compareTo(want.decimalValue()) == 0
          : actual.equals(want);
      if (!same) return false;
    }
    return true;
  }

}
