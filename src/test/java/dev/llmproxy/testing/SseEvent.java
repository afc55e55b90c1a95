package dev.llmproxy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;

/**
 * One server-sent event as a client received it.
 *
 * <p>Immutable.
 *
 * @param event the {@code event:} field, or {@code null} when absent (the default type, {@code message})
 * @param data the {@code data:} lines joined with {@code \n}
 * @param id the {@code id:} field, or {@code null}
 * @param comments comment lines (starting with {@code :}) that arrived since the previous event, without the colon
 */
public record SseEvent(String event, String data, String id, List<String> comments) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Copies {@code comments}. */
  public SseEvent {
    comments = List.copyOf(comments);
  }

  /** Whether this is OpenAI's end-of-stream marker, {@code data: [DONE]}. */
  public boolean isDone() {
    return "[DONE]".equals(data);
  }

  /**
   * The data parsed as JSON.
   *
   * @throws IllegalStateException when it is not JSON (for example {@code [DONE]})
   */
  public JsonNode json() {
    try {
      return JSON.readTree(data);
    } catch (IOException e) {
      throw new IllegalStateException("SSE data is not JSON: " + data, e);
    }
  }

  /** Whether the data is a JSON object with an {@code error} member, as a gateway ends a failed stream. */
  public boolean isError() {
    try {
      return JSON.readTree(data).has("error");
    } catch (IOException e) {
      return false;
    }
  }

  /** The {@code choices[0].delta.content} of a chat chunk, or an empty string when there is none. */
  public String deltaContent() {
    return json().path("choices").path(0).path("delta").path("content").asText("");
  }
}
