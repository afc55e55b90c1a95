package dev.llmproxy.dialect.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.llmproxy.dialect.Answer;
import dev.llmproxy.dialect.ChatUsage;
import dev.llmproxy.error.ClientError;
import dev.llmproxy.error.ErrorResponses;
import dev.llmproxy.error.WebappJson;
import dev.llmproxy.stream.SseEvent;
import dev.llmproxy.stream.SseFrameBatch;
import dev.llmproxy.stream.SseFrames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The upstream's answer as it came: bodies and events byte for byte (framed again, so each event is one
 * write of its data), except the {@code model} of each with {@code force-mapping}. A chat stream that ended
 * complete but without {@code data: [DONE]} (some providers omit it) gets one. When the gateway asked for a
 * stream's usage the client did not ask for, the usage-only chunk ({@code "choices":[]}) is kept from the client.
 * Not thread-safe; one per attempt.
 */
final class PassThroughAnswer implements Answer {
  /** The model the client asked for, to put in every answer ({@code force-mapping}); {@code null} leaves them. */
  private final String forcedModel;
  private static final byte[] USAGE = "\"usage\"".getBytes(StandardCharsets.US_ASCII);
  private static final JsonFactory JSON = WebappJson.newFactory();
  private final boolean endsWithDone;
  private final boolean hidesUsageChunk;
  private boolean doneSent;

  /** @param hidesUsageChunk the gateway, not the client, asked for the stream's usage */
  PassThroughAnswer(String forcedModel, boolean endsWithDone, boolean hidesUsageChunk) {
    this.forcedModel = forcedModel;
    this.endsWithDone = endsWithDone;
    this.hidesUsageChunk = hidesUsageChunk;
  }

  @Override
  public byte[] body(byte[] upstreamBody) {
    return forcedModel == null ? upstreamBody : TopLevelModel.replace(upstreamBody, forcedModel);
  }

  @Override
  public String bodyContentType(String upstreamContentType) {
    return upstreamContentType == null ? "application/json" : upstreamContentType;
  }

  @Override
  public boolean relaysLargeBodies() {
    return true;
  }

  @Override
  public long keptChars() {
    return 0;
  }

  @Override
  public String streamContentType() {
    return "text/event-stream";
  }

  @Override
  public void onEvent(SseEvent event, SseFrameBatch out) {
    if (hidesUsageChunk && event.dataLength() <= ChatUsage.CHUNK_MAX_BYTES && event.hasObjectMember(USAGE)
        && hasNoChoices(event.copyData())) {
      return;
    }
    if (forcedModel != null) {
      // A copy per event, so only for the models configured so.
      out.add(event.name(), TopLevelModel.replace(event.copyData(), forcedModel));
    } else {
      out.add(event);
    }
  }

  /** Whether the chunk's {@code choices} is an empty array (the usage-only chunk), read once per stream. */
  private static boolean hasNoChoices(byte[] json) {
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if ("choices".equals(name)) {
          return value == JsonToken.START_ARRAY && p.nextToken() == JsonToken.END_ARRAY;
        }
        p.skipChildren();
      }
    } catch (IOException | RuntimeException e) {
      // not JSON: relayed as it came
    }
    return false;
  }

  @Override
  public void onDone(SseFrameBatch out) {
    doneSent = true;
    out.add(SseFrames.DONE);
  }

  @Override
  public void onComment(SseFrameBatch out) {
    out.add(SseFrames.KEEPALIVE);
  }

  @Override
  public void onEnd(SseFrameBatch out) {
    if (endsWithDone && !doneSent) {
      out.add(SseFrames.DONE);
    }
  }

  @Override
  public void onFailure(ClientError error, SseFrameBatch out) {
    out.add(null, ErrorResponses.toJson(error.error()));
  }

  @Override
  public byte[] keepAlive(boolean configured) {
    return configured ? SseFrames.KEEPALIVE : SseFrames.PROBE;
  }
}
