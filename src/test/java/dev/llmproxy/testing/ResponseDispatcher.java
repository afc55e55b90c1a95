package dev.llmproxy.testing;

import dev.llmproxy.testing.StreamCounters.Outcome;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Carries out one {@link UpstreamResponse} on a suspended servlet exchange.
 *
 * <p>Shared by all requests of one {@link FakeUpstream}; stateless apart from its collaborators, so thread-safe.
 */
final class ResponseDispatcher {

  private final StreamScheduler scheduler;
  private final StreamCounters counters;

  ResponseDispatcher(StreamScheduler scheduler, StreamCounters counters) {
    this.scheduler = scheduler;
    this.counters = counters;
  }

  void dispatch(AsyncContext async, UpstreamResponse response) throws IOException {
    HttpServletResponse servletResponse = (HttpServletResponse) async.getResponse();
    if (response instanceof UpstreamResponse.Fixed fixed) {
      setHead(servletResponse, fixed.status(), fixed.headers());
      byte[] body = fixed.body();
      servletResponse.setContentLength(body.length);
      play(async, body, Collections.emptyIterator(), outcome -> {});
    } else if (response instanceof UpstreamResponse.Sse sse) {
      setStreamHead(servletResponse, sse.status(), sse.headers());
      counters.onStarted();
      play(async, new byte[0], sse.steps().iterator(), counters::onFinished);
    } else if (response instanceof UpstreamResponse.Paced paced) {
      setStreamHead(servletResponse, 200, Map.of());
      counters.onStarted();
      play(async, new byte[0], new PacedSteps(paced), counters::onFinished);
    } else if (response instanceof UpstreamResponse.Delayed delayed) {
      scheduler.schedule(() -> dispatchLater(async, delayed.then()), delayed.delay());
    } else if (response instanceof UpstreamResponse.StallBeforeHeaders) {
      counters.onStarted();
      play(async, null, List.of(SseStep.stall()).iterator(), counters::onFinished);
    } else if (response instanceof UpstreamResponse.CloseWithoutResponse close) {
      if (close.reset()) {
        JettyConnection.reset(async.getRequest());
      } else {
        JettyConnection.close(async.getRequest());
      }
    } else if (response instanceof UpstreamResponse.RefuseStream) {
      JettyConnection.refuseStream(async.getRequest());
    }
  }

  private void dispatchLater(AsyncContext async, UpstreamResponse response) {
    try {
      dispatch(async, response);
    } catch (IOException | RuntimeException e) {
      JettyConnection.close(async.getRequest());
    }
  }

  private void play(AsyncContext async, byte[] opening, Iterator<SseStep> steps, Consumer<Outcome> onFinished)
      throws IOException {
    new StreamPlayer(async, opening, steps, scheduler, onFinished).start();
  }

  private static void setStreamHead(HttpServletResponse servletResponse, int status, Map<String, String> headers) {
    servletResponse.setContentType("text/event-stream");
    servletResponse.setHeader("Cache-Control", "no-cache");
    setHead(servletResponse, status, headers);
  }

  private static void setHead(HttpServletResponse servletResponse, int status, Map<String, String> headers) {
    servletResponse.setStatus(status);
    headers.forEach(servletResponse::setHeader);
  }
}
