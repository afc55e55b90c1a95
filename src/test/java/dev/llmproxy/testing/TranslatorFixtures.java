package dev.llmproxy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the dialect translators' test fixtures from the test class path: JSON bodies, and upstream
 * chat-completions streams kept as the SSE text an upstream sends ({@code data: {...}} events, an
 * optional {@code data: [DONE]}). Stateless.
 */
public final class TranslatorFixtures {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TranslatorFixtures() {}

  /** The JSON of the resource at {@code path} (e.g. {@code /dialect/responses/codex-request.json}). */
  public static JsonNode json(String path) {
    try {
      return JSON.readTree(text(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JSON data of each {@code data:} line of the SSE resource at {@code path}, without {@code [DONE]}. */
  public static List<JsonNode> chunks(String path) {
    List<JsonNode> chunks = new ArrayList<>();
    for (String line : text(path).split("\n")) {
      if (line.startsWith("data:") && !line.substring(5).strip().equals("[DONE]")) {
        chunks.add(RecordingEventSink.parse(line.substring(5).strip()));
      }
    }
    if (chunks.isEmpty()) {
      throw new IllegalArgumentException(path + " holds no data: lines");
    }
    return chunks;
  }

  /** {@code json} parsed, for inline bodies in tests. */
  public static JsonNode parse(String json) {
    return RecordingEventSink.parse(json);
  }

  private static String text(String path) {
    try (InputStream in = TranslatorFixtures.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
