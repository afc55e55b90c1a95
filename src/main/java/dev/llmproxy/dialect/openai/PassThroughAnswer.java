package dev.llmproxy.dialect.openai;

import dev.llmproxy.dialect.Answer;
import dev.llmproxy.error.ClientError;
import dev.llmproxy.error.ErrorResponses;
import dev.llmproxy.stream.SseEvent;
import dev.llmproxy.stream.SseFrameBatch;
import dev.llmproxy.stream.SseFrames;

/**
 * The upstream's answer as it came: bodies and events byte for byte (framed again, so each event is one
 * write of its data), except the {@code model} of each with {@code force-mapping}. A chat stream that ended
 * complete but without {@code data: [DONE]} (some providers omit it) gets one. Not thread-safe; one per
 * attempt.
 */
final class PassThroughAnswer implements Answer {
  /** The model the client asked for, to put in every answer ({@code force-mapping}); {@code null} leaves them. */
  private final String forcedModel;
  private final boolean endsWithDone;
  private boolean doneSent;

  PassThroughAnswer(String forcedModel, boolean endsWithDone) {
    this.forcedModel = forcedModel;
    this.endsWithDone = endsWithDone;
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
  public String streamContentType() {
    return "text/event-stream";
  }

  @Override
  public void onEvent(SseEvent event, SseFrameBatch out) {
    if (forcedModel != null) {
      // A copy per event, so only for the models configured so.
      out.add(event.name(), TopLevelModel.replace(event.copyData(), forcedModel));
    } else {
      out.add(event);
    }
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
