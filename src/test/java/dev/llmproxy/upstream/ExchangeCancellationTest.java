package dev.llmproxy.upstream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.concurrent.ComplexCancellable;
import org.junit.jupiter.api.Test;

class ExchangeCancellationTest {
  private final HttpClientContext context = HttpClientContext.create();
  private final ExchangeCancellation cancellation = ExchangeCancellation.attachTo(context);
  private final Cancellable exchange = mock(Cancellable.class);

  @Test
  void theContextCarriesIt() {
    assertSame(cancellation, ExchangeCancellation.of(context));
  }

  @Test
  void cancellingStopsTheExchangeItDependsOn() {
    cancellation.setDependency(exchange);

    cancellation.cancel();

    verify(exchange).cancel();
    assertTrue(cancellation.isCancelled());
  }

  @Test
  void anExchangeThatBeginsAfterTheCancelIsStoppedAsItBegins() {
    cancellation.cancel();

    cancellation.setDependency(exchange);

    verify(exchange).cancel();
  }

  @Test
  void theFutureStillLearnsWhatTheExchangeDependsOn() {
    ComplexCancellable future = new ComplexCancellable();
    cancellation.passingOnTo(future).setDependency(exchange);

    future.cancel();

    verify(exchange).cancel();
  }

  @Test
  void nothingIsCancelledUnasked() {
    cancellation.setDependency(exchange);

    verify(exchange, never()).cancel();
    assertFalse(cancellation.isCancelled());
  }
}
