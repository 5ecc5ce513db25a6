package dev.fraudinfra.engines;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;

final class Engines {
  private Engines() {}

  /** A streaming TableEnvironment with `config` (Flink option keys, string values) applied. */
  static TableEnvironment tableEnvironment(JsonNode config) {
    TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
    apply(env, config);
    return env;
  }

  static void apply(TableEnvironment env, JsonNode config) {
    if (config == null) return;
    for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      env.getConfig().set(e.getKey(), e.getValue().asText());
    }
  }

  static boolean isQuery(String sql) {
    String head = sql.stripLeading().toUpperCase();
    return head.startsWith("INSERT") || head.startsWith("SELECT") || head.startsWith("WITH");
  }
}
