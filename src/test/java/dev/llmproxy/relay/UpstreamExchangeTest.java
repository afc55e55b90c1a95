package dev.llmproxy.relay;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import dev.llmproxy.upstream.ExchangeCancellation;
import dev.llmproxy.upstream.UpstreamClients;
import dev.llmproxy.upstream.UpstreamListener;
import java.util.concurrent.CompletableFuture;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.Cancellable;
import org.junit.jupiter.api.Test;

class UpstreamExchangeTest {
  private final UpstreamListener listener = mock(UpstreamListener.class);
  private final HttpClientContext context = HttpClientContext.create();
  private final UpstreamExchange exchange = new UpstreamExchange(listener, context);
  private final CompletableFuture<Void> future = new CompletableFuture<>();
  /** What HttpClient's transport would cancel: the exchange itself, apart from the future. */
  private final Cancellable transport = mock(Cancellable.class);

  UpstreamExchangeTest() {
    ExchangeCancellation.of(context).setDependency(transport);
  }

  @Test
  void cancellingARunningExchangeCancelsItsFuture() {
    exchange.started(future);

    exchange.cancel();

    assertTrue(future.isCancelled());
    verify(transport).cancel();
    verifyNoInteractions(listener);
  }

  @Test
  void anExchangeCancelledBeforeItStartedIsCancelledAsItStarts() {
    exchange.cancel();

    exchange.started(future);

    assertTrue(future.isCancelled());
    verify(transport).cancel();
  }

  @Test
  void anExchangeThatFinishedByItselfIsNeverCancelled() {
    exchange.started(future);
    exchange.onFinished();

    exchange.cancel();

    assertFalse(future.isCancelled(), "HttpClient is about to complete it and keep the connection");
    verify(transport, never()).cancel();
  }

  @Test
  void finishingGivesThePooledClientBack() {
    UpstreamClients.Lease lease = mock(UpstreamClients.Lease.class);
    exchange.holdLease(lease);

    exchange.onFinished();

    verify(lease).release();
  }
}
