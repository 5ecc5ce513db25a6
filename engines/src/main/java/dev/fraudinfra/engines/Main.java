package dev.fraudinfra.engines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.kafka.common.utils.internals.AppInfoParser;

/**
 * `Main plan|run <request.json> <response.json>`: the node driver writes a request, this process
 * answers it and exits. The product's statements arrive already rendered (and table options
 * adapted); this side only runs them and reports what the engines did.
 */
public final class Main {
  static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: Main plan|run <request.json> <response.json>");
      System.exit(2);
    }
    JsonNode request = JSON.readTree(Path.of(args[1]).toFile());
    ObjectNode response = JSON.createObjectNode();
    response.putObject("versions")
        .put("flink", EnvironmentInformation.getVersion())
        .put("kafka", AppInfoParser.getVersion())
        .put("java", System.getProperty("java.version"));
    int code = 0;
    try {
      switch (args[0]) {
        case "plan" -> FlinkPlan.run(request, response);
        case "run" -> FlinkScenario.run(request, response);
        default -> throw new IllegalArgumentException("unknown command " + args[0]);
      }
    } catch (Throwable e) {
      response.put("error", Errors.describe(e));
      code = 1;
    }
    JSON.writerWithDefaultPrettyPrinter().writeValue(Path.of(args[2]).toFile(), response);
    // Flink and Kafka leave non-daemon threads behind; the answer is written, so end here.
    System.exit(code);
  }
}
