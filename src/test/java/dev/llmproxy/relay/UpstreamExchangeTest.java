package dev.llmproxy.relay;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import dev.llmproxy.upstream.UpstreamClients;
import dev.llmproxy.upstream.UpstreamListener;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class UpstreamExchangeTest {
  private final UpstreamListener listener = mock(UpstreamListener.class);
  private final UpstreamExchange exchange = new UpstreamExchange(listener);
  private final CompletableFuture<Void> future = new CompletableFuture<>();

  @Test
  void cancellingARunningExchangeCancelsItsFuture() {
    exchange.started(future);

    exchange.cancel();

    assertTrue(future.isCancelled());
    verifyNoInteractions(listener);
  }

  @Test
  void anExchangeCancelledBeforeItStartedIsCancelledAsItStarts() {
    exchange.cancel();

    exchange.started(future);

    assertTrue(future.isCancelled());
  }

  @Test
  void anExchangeThatFinishedByItselfIsNeverCancelled() {
    exchange.started(future);
    exchange.onFinished();

    exchange.cancel();

    assertFalse(future.isCancelled(), "HttpClient is about to complete it and keep the connection");
  }

  @Test
  void finishingGivesThePooledClientBack() {
    UpstreamClients.Lease lease = mock(UpstreamClients.Lease.class);
    exchange.holdLease(lease);

    exchange.onFinished();

    verify(lease).release();
  }
}
