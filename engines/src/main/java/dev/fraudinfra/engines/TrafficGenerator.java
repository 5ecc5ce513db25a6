package dev.fraudinfra.engines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Load for `npm run bench:detection`: ordinary transactions of the web app's shape (0.25–50.00 from
 * an allowed address, round-robin over `accounts` accounts) at `rate` per second, with one fraud of
 * the app's four kinds every `fraudEveryMs`, each on a fresh account, in turn: too_large (one of
 * 1000.00), too_far (one from a blocked address), too_many_count (11 small ones within a second),
 * too_many_amount (612.40 then 455.10). RECEIVED_AT is the send time when `paced` (the load runs in
 * real time), else consecutive instants `1000 / rate` ms apart from `startMs` (a backlog to read).
 * For each fraud the answer names the transaction that completes it and the broker's append time of
 * that transaction, so the driver can time the flag.
 *
 * Step: {"op": "traffic", "topic", "rate", "seconds", "paced", "fraudEveryMs", "accounts",
 *        "firstFraudAccount", "startMs"?, "seed"}.
 */
final class TrafficGenerator {
  private static final String[] ALLOWED = {"8.8.8.8", "8.8.4.4", "34.192.0.0", "52.0.0.0", "104.16.0.0"};
  private static final String BLOCKED = "1.1.1.1";
  private static final String[] KINDS = {"too_large", "too_far", "too_many_count", "too_many_amount"};

  private TrafficGenerator() {}

  private record Tx(long account, String amount, String ip, String fraud) {}

  static ObjectNode run(KafkaProducer<byte[], byte[]> producer, JsonNode step) throws Exception {
    String topic = step.path("topic").asText();
    double rate = step.path("rate").asDouble();
    long total = Math.round(rate * step.path("seconds").asDouble());
    boolean paced = step.path("paced").asBoolean();
    long fraudEvery = Math.max(1, Math.round(rate * step.path("fraudEveryMs").asLong() / 1000.0));
    int accounts = step.path("accounts").asInt(1000);
    long nextFraudAccount = step.path("firstFraudAccount").asLong(1_000_000);
    long startMs = step.path("startMs").asLong(System.currentTimeMillis());
    Random random = new Random(step.path("seed").asLong(1));
    ConcurrentLinkedQueue<ObjectNode> frauds = new ConcurrentLinkedQueue<>();
    AtomicLong id = new AtomicLong(step.path("firstId").asLong(10_000_000));
    List<Tx> pending = new ArrayList<>();
    long began = System.nanoTime();
    int fraudIndex = 0;
    for (long n = 0; n < total; n++) {
      if (pending.isEmpty() && n % fraudEvery == fraudEvery - 1) {
        pending.addAll(fraud(KINDS[fraudIndex++ % KINDS.length], nextFraudAccount++));
      }
      Tx tx = pending.isEmpty()
          ? new Tx(1 + random.nextInt(accounts), cents(25 + random.nextInt(4976)), ALLOWED[random.nextInt(ALLOWED.length)], null)
          : pending.remove(0);
      long dueNanos = began + Math.round(n * 1e9 / rate);
      if (paced) {
        long wait = dueNanos - System.nanoTime();
        if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      long receivedAtMs = paced ? System.currentTimeMillis() : startMs + Math.round(n * 1000.0 / rate);
      long txId = id.getAndIncrement();
      ObjectNode value = Main.JSON.createObjectNode()
          .put("ID", txId)
          .put("AMOUNT", Double.parseDouble(tx.amount))
          .put("RECEIVED_AT", receivedAtMs * 1000)
          .put("IP_ADDRESS", tx.ip)
          .put("ACCOUNT_ID", tx.account);
      byte[] key = Main.JSON.writeValueAsBytes(Main.JSON.createObjectNode().put("ID", txId));
      String completes = tx.fraud;
      producer.send(new ProducerRecord<>(topic, key, Main.JSON.writeValueAsBytes(value)), (meta, error) -> {
        if (error == null && completes != null) {
          frauds.add(Main.JSON.createObjectNode().put("kind", completes).put("account", tx.account)
              .put("appendedAt", meta.timestamp()));
        }
      });
    }
    producer.flush();
    ObjectNode out = Main.JSON.createObjectNode().put("count", total)
        .put("seconds", (System.nanoTime() - began) / 1e9);
    ArrayNode list = out.putArray("frauds");
    frauds.forEach(list::add);
    return out;
  }

  /** The transactions of one fraud, the one that completes it marked with its kind. */
  private static List<Tx> fraud(String kind, long account) {
    List<Tx> txs = new ArrayList<>();
    switch (kind) {
      case "too_large" -> txs.add(new Tx(account, "1000.00", ALLOWED[0], kind));
      case "too_far" -> txs.add(new Tx(account, "17.80", BLOCKED, kind));
      case "too_many_count" -> {
        for (int i = 0; i < 10; i++) txs.add(new Tx(account, "1.00", ALLOWED[1], null));
        txs.add(new Tx(account, "1.00", ALLOWED[1], kind));
      }
      case "too_many_amount" -> {
        txs.add(new Tx(account, "612.40", ALLOWED[2], null));
        txs.add(new Tx(account, "455.10", ALLOWED[2], kind));
      }
      default -> throw new IllegalArgumentException("unknown fraud kind " + kind);
    }
    return txs;
  }

  private static String cents(int cents) {
    return String.format("%d.%02d", cents / 100, cents % 100);
  }

  /** One auth_user row per account in [from, to], as the connector stack's table holds them. */
  static long users(KafkaProducer<byte[], byte[]> producer, JsonNode step) throws Exception {
    String topic = step.path("topic").asText();
    long from = step.path("from").asLong();
    long to = step.path("to").asLong();
    for (long id = from; id <= to; id++) {
      ObjectNode value = Main.JSON.createObjectNode().put("ID", id).put("USERNAME", "user" + id)
          .put("EMAIL", "user" + id + "@example.com").put("FIRST_NAME", "First").put("LAST_NAME", "Last" + id)
          .put("IS_SUPERUSER", false).put("IS_STAFF", false).put("IS_ACTIVE", true)
          .put("DATE_JOINED", 0L).putNull("LAST_LOGIN");
      byte[] key = Main.JSON.writeValueAsBytes(Main.JSON.createObjectNode().put("ID", id));
      producer.send(new ProducerRecord<>(topic, key, Main.JSON.writeValueAsBytes(value)));
    }
    producer.flush();
    return to - from + 1;
  }
}
