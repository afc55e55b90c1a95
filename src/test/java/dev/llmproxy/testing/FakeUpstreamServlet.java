package dev.llmproxy.testing;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one servlet of {@link FakeUpstream}: suspends every request, reads its body without blocking, records it, asks
 * the current {@link FakeUpstream.Responder} what to do and hands that to the {@link ResponseDispatcher}.
 *
 * <p>Thread-safe; holds no per-request state.
 */
final class FakeUpstreamServlet extends HttpServlet {

  private static final Logger LOG = LoggerFactory.getLogger(FakeUpstreamServlet.class);

  private final transient RequestLog log;
  private final transient Supplier<FakeUpstream.Responder> responder;
  private final transient ResponseDispatcher dispatcher;

  FakeUpstreamServlet(RequestLog log, Supplier<FakeUpstream.Responder> responder, ResponseDispatcher dispatcher) {
    this.log = log;
    this.responder = responder;
    this.dispatcher = dispatcher;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
    AsyncContext async = request.startAsync();
    // Streams may stall on purpose; the connector's idle timeout is the only limit.
    async.setTimeout(0);
    request
        .getInputStream()
        .setReadListener(
            new BodyReader(
                request.getInputStream(),
                body -> onRequest(async, toRecord(request, body)),
                failure -> async.complete()));
  }

  private void onRequest(AsyncContext async, RecordedRequest recorded) {
    log.add(recorded);
    UpstreamResponse upstreamResponse;
    try {
      upstreamResponse = responder.get().respond(recorded);
    } catch (Exception | AssertionError e) {
      LOG.warn("fake upstream responder failed for {}", recorded, e);
      upstreamResponse = UpstreamResponse.error(500, "server_error", "fake upstream responder threw: " + e);
    }
    try {
      dispatcher.dispatch(async, upstreamResponse);
    } catch (IOException | RuntimeException e) {
      LOG.warn("fake upstream could not send {} for {}", upstreamResponse, recorded, e);
      async.complete();
    }
  }

  private static RecordedRequest toRecord(HttpServletRequest request, byte[] body) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String name : Collections.list(request.getHeaderNames())) {
      headers.put(name, new ArrayList<>(Collections.list(request.getHeaders(name))));
    }
    String query = request.getQueryString();
    String path = request.getRequestURI() + (query == null ? "" : "?" + query);
    return new RecordedRequest(request.getMethod(), path, headers, body, request.getRemoteAddr(), request.getProtocol(),
        request.getRemoteAddr() + ":" + request.getRemotePort());
  }
}
