package dev.llmproxy.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.dialect.CompletionChunks;
import dev.llmproxy.dialect.UpstreamCall;
import dev.llmproxy.dialect.UpstreamProtocol;
import dev.llmproxy.error.WebappJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A whole JSON answer to a request that asked for a stream, told as the event stream it stands for ({@link
 * CompletionChunks}), so the client that asked for events gets events and the relay handles them as any stream
 * (usage, completeness, the dialect's translation). An answer that is an error object is told as one error event,
 * which the relay judges as it judges any. Stateless.
 */
final class BodyReplay {
  private static final ObjectMapper JSON = WebappJson.newMapper();
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END_OF_EVENT = "\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

  private BodyReplay() {}

  /** Whether a JSON answer to {@code call} is replayed: the call asked for a stream of chat (or legacy) chunks. */
  static boolean replays(UpstreamCall call) {
    return call.stream() && call.protocol() == UpstreamProtocol.CHAT;
  }

  /**
   * The answer as server-sent events, {@code data: [DONE]} last.
   *
   * @throws IllegalArgumentException when it is not JSON, or neither an answer nor an error
   */
  static byte[] events(byte[] body) {
    JsonNode answer;
    try {
      answer = JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("the answer is not JSON", e);
    }
    if (answer != null && answer.path("error").isObject() && !answer.has("choices")) {
      return event(body);
    }
    if (answer == null) {
      throw new IllegalArgumentException("the answer is empty");
    }
    ByteArrayOutputStream events = new ByteArrayOutputStream(body.length + 512);
    for (ObjectNode chunk : CompletionChunks.of(answer)) {
      try {
        events.write(event(JSON.writeValueAsBytes(chunk)));
      } catch (IOException e) {
        throw new IllegalStateException(e); // writing to memory
      }
    }
    events.writeBytes(DONE);
    return events.toByteArray();
  }

  private static byte[] event(byte[] json) {
    byte[] event = new byte[DATA.length + json.length + END_OF_EVENT.length];
    System.arraycopy(DATA, 0, event, 0, DATA.length);
    System.arraycopy(json, 0, event, DATA.length, json.length);
    System.arraycopy(END_OF_EVENT, 0, event, DATA.length + json.length, END_OF_EVENT.length);
    return event;
  }
}
