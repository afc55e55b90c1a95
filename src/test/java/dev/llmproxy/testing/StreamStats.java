package dev.llmproxy.testing;

/**
 * Counts of the held-open responses {@link FakeUpstream} has served since it started (or since its last reset).
 *
 * <p>Immutable snapshot. A "stream" is any response that keeps the exchange open: {@link UpstreamResponse.Sse},
 * {@link UpstreamResponse.Paced} and {@link UpstreamResponse.StallBeforeHeaders}.
 *
 * @param started streams whose headers the fake began to send
 * @param completed streams that wrote every step and ended normally
 * @param cancelled streams that ended because the client went away: a write or flush failed, or the container
 *     reported the connection closed, or, while the stream waited on a latch or stalled, a probe found the connection
 *     closed by the client. A gateway that cancels its upstream exchange when its own client disconnects
 *     shows up here.
 * @param aborted streams the script itself cut with {@link SseStep#abort()}
 */
public record StreamStats(int started, int completed, int cancelled, int aborted) {

  /** Streams that have started and not ended yet, for example stalled or still pacing. */
  public int open() {
    return started - completed - cancelled - aborted;
  }
}
