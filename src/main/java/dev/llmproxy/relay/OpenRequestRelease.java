package dev.llmproxy.relay;

import dev.llmproxy.routing.OpenRequests;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gives a request's place in {@link OpenRequests} (and its client's, under a cap) back when its asynchronous cycle
 * ends. The container calls {@code onComplete} however the request ended (the answer completed, an error, a client
 * that vanished, a container timeout), which is why the place is released here and not on each of the relay's own
 * ending paths. Once only, whatever the container calls.
 */
final class OpenRequestRelease implements AsyncListener {
  private final OpenRequests openRequests;
  /** The client whose {@code max-parallel-requests} place this request also holds, or {@code null}. */
  private final String cappedClient;
  private final AtomicBoolean released = new AtomicBoolean();

  OpenRequestRelease(OpenRequests openRequests, String cappedClient) {
    this.openRequests = openRequests;
    this.cappedClient = cappedClient;
  }

  void release() {
    if (released.compareAndSet(false, true)) {
      openRequests.close();
      if (cappedClient != null) {
        openRequests.closeFor(cappedClient);
      }
    }
  }

  @Override
  public void onComplete(AsyncEvent event) {
    release();
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    // onComplete follows
  }

  @Override
  public void onError(AsyncEvent event) {
    // onComplete follows
  }

  @Override
  public void onStartAsync(AsyncEvent event) {
    event.getAsyncContext().addListener(this);
  }
}
