package dev.llmproxy.relay;

import dev.llmproxy.buffers.LargeBufferBudget;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import dev.llmproxy.auth.ClientIdentity;
import dev.llmproxy.config.ConfigLoader;
import dev.llmproxy.dialect.openai.OpenAiDialect;
import dev.llmproxy.error.ClientError;
import dev.llmproxy.error.OpenAiError;
import dev.llmproxy.limits.ClientLimits;
import dev.llmproxy.metrics.RelayMetrics;
import dev.llmproxy.routing.DiscoveredModels;
import dev.llmproxy.routing.GatewaySnapshot;
import dev.llmproxy.stream.ClientResponseWriter;
import dev.llmproxy.usage.UsageRecorder;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

class ProxyExchangeTest {

  /** A client that reads nothing: the container never accepts a byte. */
  private static final class StalledOutput extends ServletOutputStream {
    @Override
    public boolean isReady() {
      return false;
    }

    @Override
    public void setWriteListener(WriteListener writeListener) {}

    @Override
    public void write(int b) {
      throw new AssertionError("written while not ready");
    }
  }

  private final AsyncContext asyncContext = mock(AsyncContext.class);
  private final ClientResponseWriter writer = new ClientResponseWriter(asyncContext, new StalledOutput(), 64 * 1024,
      Runnable::run);

  private ProxyExchange newExchange() throws Exception {
    // As a container does, on one of its threads: here at once.
    doAnswer(call -> {
      call.<Runnable>getArgument(0).run();
      return null;
    }).when(asyncContext).start(any());
    RelayServices services = new RelayServices(null, null, null, mock(ScheduledExecutorService.class),
        mock(UsageRecorder.class), RelayMetrics.NONE, mock(ClientLimits.class),
        new LargeBufferBudget(Long.MAX_VALUE));
    GatewaySnapshot snapshot = GatewaySnapshot.of(new ConfigLoader(n -> null).parse("api-keys: [k]\n", "test"),
        DiscoveredModels.NONE, 0);
    ProxyExchange exchange = new ProxyExchange("x1", services, snapshot,
        new Endpoints.Endpoint("/v1/chat/completions", OpenAiDialect.CHAT), mock(HttpServletResponse.class),
        asyncContext, writer, Map.of(), ClientIdentity.ANONYMOUS);
    writer.register(exchange);
    return exchange;
  }

  @Test
  void aClientWhoseWriteFailsAfterItsAnswerEndedHasItsResponseCompleted() throws Exception {
    ProxyExchange exchange = newExchange();
    // The answer is over; its bytes wait in the writer for a client that does not read.
    exchange.respondError(new ClientError(502, OpenAiError.invalidRequest(null, "x")));
    verify(asyncContext, never()).complete();

    // Then the client's connection fails: the writer will never drain, so the exchange must complete.
    writer.onError(new IOException("Connection reset by peer"));

    verify(asyncContext).complete();
  }
}
