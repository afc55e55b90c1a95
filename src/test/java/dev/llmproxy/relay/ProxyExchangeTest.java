package dev.llmproxy.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.llmproxy.auth.ClientIdentity;
import dev.llmproxy.buffers.BufferBudgetExceededException;
import dev.llmproxy.buffers.LargeBufferBudget;
import dev.llmproxy.config.ConfigLoader;
import dev.llmproxy.dialect.Answer;
import dev.llmproxy.dialect.UpstreamCall;
import dev.llmproxy.dialect.UpstreamProtocol;
import dev.llmproxy.dialect.openai.OpenAiDialect;
import dev.llmproxy.error.ClientError;
import dev.llmproxy.error.OpenAiError;
import dev.llmproxy.limits.ClientLimits;
import dev.llmproxy.metrics.RelayMetrics;
import dev.llmproxy.routing.DiscoveredModels;
import dev.llmproxy.routing.GatewaySnapshot;
import dev.llmproxy.stream.ClientResponseWriter;
import dev.llmproxy.stream.SseEvent;
import dev.llmproxy.stream.SseFrameBatch;
import dev.llmproxy.testing.ToggledOutput;
import dev.llmproxy.usage.UsageRecorder;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

class ProxyExchangeTest {

  /** A client that reads nothing: the container never accepts a byte. */
  private static ToggledOutput stalledClient() {
    ToggledOutput stalled = new ToggledOutput();
    stalled.ready = false;
    return stalled;
  }

  private final AsyncContext asyncContext = mock(AsyncContext.class);
  private ClientResponseWriter writer = new ClientResponseWriter(asyncContext, stalledClient(), 64 * 1024,
      Runnable::run);

  private ProxyExchange newExchange() throws Exception {
    return newExchange(mock(HttpServletResponse.class));
  }

  private ProxyExchange newExchange(HttpServletResponse response) throws Exception {
    // As a container does, on one of its threads: here at once.
    doAnswer(call -> {
      call.<Runnable>getArgument(0).run();
      return null;
    }).when(asyncContext).start(any());
    RelayServices services = new RelayServices(null, null, null, mock(ScheduledExecutorService.class, org.mockito.Answers.RETURNS_MOCKS),
        mock(UsageRecorder.class), RelayMetrics.NONE, mock(ClientLimits.class),
        new LargeBufferBudget(Long.MAX_VALUE));
    GatewaySnapshot snapshot = GatewaySnapshot.of(new ConfigLoader(n -> null).parse("api-keys: [k]\n", "test"),
        DiscoveredModels.NONE, 0);
    ProxyExchange exchange = new ProxyExchange("x1", services, snapshot,
        new Endpoints.Endpoint("/v1/chat/completions", OpenAiDialect.CHAT), response,
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

  /** The dialect's end of an answer, refused by the large-buffer budget (60 MB of Responses closing events). */
  private static UpstreamCall callWhoseEndDoesNotFit() {
    Answer answer = mock(Answer.class);
    doAnswer(call -> {
      call.<SseFrameBatch>getArgument(1).add("message", "{\"delta\":\"Hi\"}".getBytes(StandardCharsets.UTF_8));
      return null;
    }).when(answer).onEvent(any(), any());
    doThrow(new BufferBudgetExceededException(60_000_000)).when(answer).onEnd(any());
    doAnswer(call -> {
      call.<SseFrameBatch>getArgument(1).add("error", ("{\"code\":\"" + call.<ClientError>getArgument(0).error().code()
          + "\"}").getBytes(StandardCharsets.UTF_8));
      return null;
    }).when(answer).onFailure(any(), any());
    when(answer.keepAlive(anyBoolean())).thenReturn(new byte[0]);
    return new UpstreamCall("/chat/completions", new byte[0], true, UpstreamProtocol.CHAT, answer);
  }

  @Test
  void aStreamWhoseEndDoesNotFitTheBudgetEndsWithTheDialectsErrorEventAndCompletes() throws Exception {
    ToggledOutput client = new ToggledOutput(); // reads everything at once
    writer = new ClientResponseWriter(asyncContext, client, 64 * 1024, Runnable::run);
    ProxyExchange exchange = newExchange();
    UpstreamCall call = callWhoseEndDoesNotFit();
    exchange.onAnswerHead(call, new AnswerHead(200, "text/event-stream", true, List.of()));
    exchange.onAnswerEvent(call, mock(SseEvent.class));
    exchange.onReadEnd(call);

    exchange.onAnswerEnd(call);

    assertEquals("event: message\ndata: {\"delta\":\"Hi\"}\n\nevent: error\ndata: {\"code\":\"gateway_busy\"}\n\n",
        client.text(), "what went out, then the error in place of the end (it had hung, never completed)");
    verify(asyncContext).complete();
  }

  @Test
  void anEndThatDoesNotFitBeforeAnythingWentOutIsA503() throws Exception {
    ToggledOutput client = new ToggledOutput(); // reads everything at once
    writer = new ClientResponseWriter(asyncContext, client, 64 * 1024, Runnable::run);
    HttpServletResponse response = mock(HttpServletResponse.class);
    ProxyExchange exchange = newExchange(response);
    UpstreamCall call = callWhoseEndDoesNotFit();
    exchange.onAnswerHead(call, new AnswerHead(200, "text/event-stream", true, List.of()));

    exchange.onAnswerEnd(call);

    verify(response).setStatus(503);
    assertTrue(client.text().contains("\"code\":\"gateway_busy\""), client.text());
    verify(asyncContext).complete();
  }
}
