package dev.fraudinfra.engines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.table.api.ExplainDetail;
import org.apache.flink.table.api.TableEnvironment;

/**
 * Parses and plans statements as Flink would before running them: each deployment variant gets a
 * fresh TableEnvironment; DDL is executed (the catalog then holds the tables the next statements
 * read), and each query or INSERT is compiled to its optimized plan with its properties applied.
 * Nothing runs: the sources and sinks are created and validated, never connected.
 *
 * Request: {"config": {...}, "variants": [{"name", "statements": [{"key", "sql", "properties"}]}]}.
 * Response: "results": [{"variant", "key", "ok", "error"?, "plan"?}].
 */
final class FlinkPlan {
  private FlinkPlan() {}

  static void run(JsonNode request, ObjectNode response) {
    ArrayNode results = response.putArray("results");
    for (JsonNode variant : request.path("variants")) {
      TableEnvironment env = Engines.tableEnvironment(request.path("config"));
      for (JsonNode statement : variant.path("statements")) {
        ObjectNode result = results.addObject()
            .put("variant", variant.path("name").asText())
            .put("key", statement.path("key").asText());
        try {
          String sql = statement.path("sql").asText();
          if (Engines.isQuery(sql)) {
            result.put("plan", explain(env, sql, statement.path("properties")));
          } else {
            env.executeSql(sql);
          }
          result.put("ok", true);
        } catch (Throwable e) {
          result.put("ok", false).put("error", Errors.describe(e));
        }
      }
    }
  }

  /** The optimized plan with each operator's changelog mode, under the statement's own properties. */
  private static String explain(TableEnvironment env, String sql, JsonNode properties) {
    Engines.apply(env, properties);
    try {
      return env.explainSql(sql, ExplainDetail.CHANGELOG_MODE);
    } finally {
      for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
        env.getConfig().getConfiguration().removeKey(it.next().getKey());
      }
    }
  }
}
