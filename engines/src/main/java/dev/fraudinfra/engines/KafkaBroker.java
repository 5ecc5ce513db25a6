package dev.fraudinfra.engines;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * One Apache Kafka broker in KRaft mode (broker and controller in one node), in this JVM, on loopback:
 * the same server a Kafka distribution starts, with its log directory formatted first as
 * `kafka-storage format` does.
 */
final class KafkaBroker implements AutoCloseable {
  final String bootstrapServers;
  private final KafkaRaftServer server;
  private final Path logDir;

  private KafkaBroker(String bootstrapServers, KafkaRaftServer server, Path logDir) {
    this.bootstrapServers = bootstrapServers;
    this.server = server;
    this.logDir = logDir;
  }

  static KafkaBroker start(int port) throws IOException {
    int controllerPort = freePort();
    Path logDir = Files.createTempDirectory("engines-kafka-");
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    p.put("offsets.topic.replication.factor", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "false");
    Path properties = logDir.resolve("server.properties");
    try (Writer w = Files.newBufferedWriter(properties)) {
      p.store(w, "engine tier broker");
    }
    String[] format = {"format", "-t", Uuid.randomUuid().toString(), "-c", properties.toString()};
    int rc = StorageTool.execute(format, new PrintStream(PrintStream.nullOutputStream()));
    if (rc != 0) throw new IOException("kafka-storage format failed with " + rc);
    KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(p), Time.SYSTEM);
    server.startup();
    return new KafkaBroker("127.0.0.1:" + port, server, logDir);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws IOException {
    server.shutdown();
    server.awaitShutdown();
    try (Stream<Path> files = Files.walk(logDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
