package dev.llmproxy.testing;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The steps of a {@link UpstreamResponse.Paced} stream, generated lazily so a long stream holds two shared events
 * instead of a list: (sleep, chunk) times {@code chunks}, then the finishing chunk and {@code [DONE]}.
 *
 * <p>One instance per stream; not thread-safe (its {@link StreamPlayer} calls it under its own lock).
 */
final class PacedSteps implements Iterator<SseStep> {

  private final SseStep sleep;
  private final SseStep chunk;
  private final SseStep[] tail;
  private final int total;
  private int next;

  PacedSteps(UpstreamResponse.Paced paced) {
    this.sleep = SseStep.sleep(paced.interval());
    this.chunk = SseStep.chunk(paced.model(), "x".repeat(paced.chunkBytes()));
    this.tail = new SseStep[] {SseStep.finish(paced.model()), SseStep.done()};
    this.total = 2 * paced.chunks() + tail.length;
  }

  @Override
  public boolean hasNext() {
    return next < total;
  }

  @Override
  public SseStep next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    int index = next++;
    if (index >= total - tail.length) {
      return tail[index - (total - tail.length)];
    }
    return index % 2 == 0 ? sleep : chunk;
  }
}
