package dev.llmproxy.dialect;

import dev.llmproxy.stream.SseFrameBatch;

/**
 * How a translated stream's events are put on the wire: server-sent events (Anthropic, Responses, Gemini
 * with {@code alt=sse}) or the elements of one JSON array (Gemini without it). Stateful for framings that
 * need an opening and a closing (the array); one per response. Not thread-safe.
 */
public interface EventFraming {

  /** The content type of the framed stream. */
  String contentType();

  /** Adds one event to {@code out}. */
  void add(String name, byte[] json, SseFrameBatch out);

  /** Adds whatever ends the framing (the array's {@code ]}); called once, after the last event. */
  default void end(SseFrameBatch out) {}

  /** Server-sent events: {@code [event: name\n]data: json\n\n}. Stateless. */
  EventFraming SSE = new EventFraming() {
    @Override
    public String contentType() {
      return "text/event-stream";
    }

    @Override
    public void add(String name, byte[] json, SseFrameBatch out) {
      out.add(name, json);
    }
  };
}
