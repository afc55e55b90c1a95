package dev.llmproxy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.llmproxy.dialect.EventSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link EventSink} that keeps what a stream translator emitted, as the {@link SseEvent}s a client
 * would read, for the grammar checkers ({@link ResponsesEventGrammar}, {@link GeminiStreamGrammar}) and
 * golden comparisons. Not thread-safe: one per translator under test.
 */
public final class RecordingEventSink implements EventSink {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<SseEvent> events = new ArrayList<>();

  @Override
  public void event(String name, byte[] json) {
    events.add(new SseEvent(name, new String(json, StandardCharsets.UTF_8), null, List.of()));
  }

  /** Everything emitted so far, in order. */
  public List<SseEvent> events() {
    return List.copyOf(events);
  }

  /** The events' names, {@code null} for unnamed events. */
  public List<String> names() {
    return events.stream().map(SseEvent::event).toList();
  }

  /** The events' data as JSON. */
  public List<JsonNode> data() {
    return events.stream().map(SseEvent::json).toList();
  }

  /**
   * The events as one JSON array of {@code {"event": name, "data": {...}}} objects, the shape of the
   * golden stream fixtures.
   */
  public ArrayNode asJson() {
    ArrayNode all = JSON.createArrayNode();
    for (SseEvent event : events) {
      all.addObject().put("event", event.event()).set("data", event.json());
    }
    return all;
  }

  /** Forgets what was recorded (for loops that measure a translator). */
  public void clear() {
    events.clear();
  }

  /** Parses {@code json}, failing the test when it is not JSON. */
  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
