package dev.llmproxy.dialect;

/**
 * Where a {@link StreamTranslator} puts what the client receives: one event per call, as a JSON object.
 * How events are framed on the wire (SSE {@code event:}/{@code data:} lines, or the elements of a JSON
 * array for Gemini's non-SSE stream) is the edge's business, not the translator's. Not thread-safe; one
 * sink per response.
 */
public interface EventSink {
  /**
   * One event.
   *
   * @param name the SSE event name ({@code message_start}, {@code response.created}), or {@code null} for a
   *     plain {@code data:} event
   * @param json the event's data: one JSON object, UTF-8; the sink may keep the array
   */
  void event(String name, byte[] json);
}
