package dev.llmproxy.management;

import java.util.Map;
import java.util.TreeMap;

/**
 * Replacements of spans of a text, each given as SnakeYAML marks give them: code-point offsets of its start and end.
 * Applied from the last span to the first so that earlier offsets stay valid. Not thread-safe.
 */
final class CodePointSpans {
  private final TreeMap<Integer, Map.Entry<Integer, String>> spans = new TreeMap<>();

  /** Replaces the code points from {@code start} to {@code end} (exclusive) with {@code replacement}. */
  void replace(int start, int end, String replacement) {
    spans.put(start, Map.entry(end, replacement));
  }

  /** {@code text} with every span replaced. */
  String applyTo(String text) {
    StringBuilder out = new StringBuilder(text);
    for (Map.Entry<Integer, Map.Entry<Integer, String>> span : spans.descendingMap().entrySet()) {
      int start = text.offsetByCodePoints(0, span.getKey());
      int end = text.offsetByCodePoints(0, span.getValue().getKey());
      out.replace(start, end, span.getValue().getValue());
    }
    return out.toString();
  }
}
