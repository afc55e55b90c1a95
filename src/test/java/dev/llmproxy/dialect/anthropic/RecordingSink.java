package dev.llmproxy.dialect.anthropic;

import dev.llmproxy.dialect.EventSink;
import dev.llmproxy.testing.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Records what a stream translator emits, as the events a client would read. Not thread-safe. */
final class RecordingSink implements EventSink {
  private final List<SseEvent> events = new ArrayList<>();

  @Override
  public void event(String name, byte[] json) {
    events.add(new SseEvent(name, new String(json, StandardCharsets.UTF_8), null, List.of()));
  }

  List<SseEvent> events() {
    return List.copyOf(events);
  }

  /** The event names in order. */
  List<String> names() {
    return events.stream().map(SseEvent::event).toList();
  }

  /** The events as SSE text, {@code event: name\ndata: json\n\n} each, as golden files hold them. */
  String sse() {
    StringBuilder text = new StringBuilder();
    for (SseEvent event : events) {
      text.append("event: ").append(event.event()).append("\ndata: ").append(event.data()).append("\n\n");
    }
    return text.toString();
  }

  void clear() {
    events.clear();
  }
}
