package dev.fraudinfra.engines;

import java.util.ArrayList;
import java.util.List;

final class Errors {
  private Errors() {}

  /** Every message of the cause chain, outermost first: Flink wraps the parser's answer twice. */
  static String describe(Throwable e) {
    List<String> messages = new ArrayList<>();
    for (Throwable t = e; t != null && messages.size() < 8; t = t.getCause()) {
      String m = t.getMessage() == null ? t.getClass().getName() : t.getMessage();
      if (messages.isEmpty() || !messages.get(messages.size() - 1).contains(m)) messages.add(m);
    }
    return String.join("\ncaused by: ", messages);
  }
}
