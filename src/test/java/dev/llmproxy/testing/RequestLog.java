package dev.llmproxy.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The requests {@link FakeUpstream} has received, in arrival order.
 *
 * <p>Thread-safe: every method synchronizes on this object. Recording can be switched off for load tests, where
 * keeping every body would only fill the heap.
 */
final class RequestLog {

  private final List<RecordedRequest> requests = new ArrayList<>();
  private boolean recording = true;

  synchronized void add(RecordedRequest request) {
    if (recording) {
      requests.add(request);
      notifyAll();
    }
  }

  synchronized List<RecordedRequest> snapshot() {
    return List.copyOf(requests);
  }

  synchronized void clear() {
    requests.clear();
  }

  synchronized void setRecording(boolean recording) {
    this.recording = recording;
  }

  /**
   * Blocks until at least {@code count} requests are recorded.
   *
   * @throws AssertionError listing what did arrive when {@code timeout} passes first
   */
  synchronized List<RecordedRequest> await(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (requests.size() < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            "expected " + count + " upstream requests within " + timeout + " but got " + requests);
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return List.copyOf(requests);
  }
}
