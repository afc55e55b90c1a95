package dev.llmproxy.relay;

import dev.llmproxy.api.ModelsResource;
import dev.llmproxy.auth.ClientIdentity;
import dev.llmproxy.dialect.ListedModel;
import dev.llmproxy.dialect.gemini.GeminiModelList;
import dev.llmproxy.error.ClientError;
import dev.llmproxy.error.OpenAiError;
import dev.llmproxy.routing.GatewaySnapshot;
import dev.llmproxy.routing.ModelRoute;
import dev.llmproxy.routing.OpenRequests;
import dev.llmproxy.stream.ClientResponseWriter;
import dev.llmproxy.usage.RequestOutcome;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The data plane: every relayed endpoint of every client dialect ({@link Endpoints}).
 *
 * <p>This is a plain async servlet rather than a Jersey resource on purpose: Jersey reads entities
 * and writes responses through blocking servlet streams (eclipse-ee4j/jersey#4900, #3377), which would
 * park a container thread per request body and per open stream. Here the container thread only starts
 * async I/O and returns: the body is read with a {@code ReadListener}, the upstream call runs on
 * HttpClient's reactor, and the response goes out through a {@code WriteListener}.
 */
public final class ApiRelayServlet extends HttpServlet {
  private static final int CLIENT_HIGH_WATER_MARK = 64 * 1024;
  /** When a client at its {@code max-parallel-requests} may try again: its own requests end, not the gateway's. */
  private static final Duration PARALLEL_RETRY_AFTER = Duration.ofSeconds(1);

  private final transient RelayServices services;
  private final transient Endpoints endpoints;

  public ApiRelayServlet(RelayServices services, Endpoints endpoints) {
    this.services = services;
    this.endpoints = endpoints;
  }

  @Override
  protected void service(HttpServletRequest clientRequest, HttpServletResponse clientResponse) throws IOException {
    GatewaySnapshot snapshot = services.snapshots().current();
    if (snapshot == null) {
      endpoints.write(clientRequest, clientResponse, new ClientError(503, OpenAiError.notConfigured(
          services.snapshots().problem())));
      return;
    }
    String path = Endpoints.pathOf(clientRequest);
    if ("GET".equals(clientRequest.getMethod()) && GeminiPaths.isModels(path)) {
      writeGeminiModels(snapshot, GeminiPaths.modelOf(path), clientRequest, clientResponse);
      return;
    }
    Endpoints.Endpoint endpoint = endpoints.endpoint(clientRequest);
    if (endpoint == null) {
      endpoints.write(clientRequest, clientResponse, new ClientError(404,
          OpenAiError.notFound(clientRequest.getRequestURI())));
      return;
    }
    if (!"POST".equals(clientRequest.getMethod())) {
      clientResponse.setHeader("Allow", "POST");
      endpoints.write(clientRequest, clientResponse, new ClientError(405,
          OpenAiError.methodNotAllowed(clientRequest.getMethod(), clientRequest.getRequestURI())));
      return;
    }
    String encoding = clientRequest.getHeader("Content-Encoding");
    if (encoding != null && !encoding.isBlank() && !"identity".equalsIgnoreCase(encoding.trim())) {
      // A compressed body would be read as malformed JSON (400 invalid_json), which hides what to change.
      endpoints.write(clientRequest, clientResponse, new ClientError(415,
          OpenAiError.unsupportedContentEncoding(encoding)));
      return;
    }
    long maxBody = snapshot.config().maxRequestBodyBytes();
    long declared = clientRequest.getContentLengthLong();
    if (declared > maxBody) {
      endpoints.write(clientRequest, clientResponse, new ClientError(413, OpenAiError.bodyTooLarge(maxBody)));
      return;
    }
    OpenRequests openRequests = services.routingState().openRequests();
    ClientIdentity client = ClientIdentity.of(clientRequest);
    if (!openRequests.tryOpen(snapshot.config().maxOpenRequests())) {
      refuse(endpoint, client, clientRequest, clientResponse, new ClientError(503, OpenAiError.gatewayBusy(),
          UpstreamFailures.BUSY_RETRY_AFTER));
      return;
    }
    Integer parallel = client.limits() == null ? null : client.limits().maxParallelRequests();
    if (parallel != null && !openRequests.tryOpenFor(client.limitId(), parallel)) {
      openRequests.close();
      refuse(endpoint, client, clientRequest, clientResponse, new ClientError(429, OpenAiError.rateLimitExceeded(
          client.toString(), parallel + " requests open at once (max-parallel-requests)"), PARALLEL_RETRY_AFTER));
      return;
    }
    OpenRequestRelease release = new OpenRequestRelease(openRequests, parallel == null ? null : client.limitId());
    AsyncContext asyncContext;
    try {
      asyncContext = clientRequest.startAsync();
      asyncContext.addListener(release);
    } catch (RuntimeException e) {
      release.release();
      throw e;
    }
    // No container timeout: the upstream timeouts end a stuck exchange (see UpstreamClients, UpstreamAttempt), and
    // request-body-timeout a client that stops sending its body (RequestBodyReader).
    asyncContext.setTimeout(0);
    ClientResponseWriter writer = new ClientResponseWriter(asyncContext, clientResponse.getOutputStream(),
        CLIENT_HIGH_WATER_MARK, services.scheduler(), clientResponse.getBufferSize());
    ProxyExchange exchange = new ProxyExchange(newExchangeId(), services, snapshot, endpoint, clientResponse,
        asyncContext, writer, copiedHeaders(clientRequest, snapshot), client);
    asyncContext.addListener(exchange);
    writer.register(exchange);
    RequestBodyReader bodyReader = new RequestBodyReader(clientRequest.getInputStream(), maxBody, declared,
        exchange.buffers().newMeter(), exchange::start, exchange::onBodyFailure);
    bodyReader.failWhenStalled(services.scheduler(), snapshot.config().requestBodyTimeout());
    clientRequest.getInputStream().setReadListener(bodyReader);
  }

  /**
   * Turns the request away before its body is read (the instance or the client holds too many requests open), and
   * reports it as a failed request of its client: in metrics by the status sent, and in usage.
   */
  private void refuse(Endpoints.Endpoint endpoint, ClientIdentity client, HttpServletRequest clientRequest,
      HttpServletResponse clientResponse, ClientError refusal) throws IOException {
    // Reported before the answer leaves, so metrics and usage hold it by the time the client has its answer.
    ExchangeReport report = new ExchangeReport(services.metrics(), services.usage(), services.limits(), client,
        endpoint.dialect().name(), endpoint.path());
    report.status(refusal.status());
    report.ended(RequestOutcome.FAILED);
    endpoints.write(clientRequest, clientResponse, refusal);
  }

  /** Gemini's {@code GET /v1beta/models} and {@code GET /v1beta/models/{model}}, from the routing table. */
  private void writeGeminiModels(GatewaySnapshot snapshot, String model, HttpServletRequest clientRequest,
      HttpServletResponse clientResponse) throws IOException {
    ClientIdentity client = ClientIdentity.of(clientRequest);
    byte[] body;
    if (model == null) {
      body = GeminiModelList.body(ModelsResource.listed(snapshot, client));
    } else {
      String id = model.startsWith("models/") ? model.substring(7) : model;
      ModelRoute route = ModelsResource.routable(snapshot, client, id);
      if (route == null) {
        endpoints.write(clientRequest, clientResponse, new ClientError(404, OpenAiError.modelNotFound(id)));
        return;
      }
      body = GeminiModelList.model(new ListedModel(id, snapshot.loadedAtEpochSecond(), route.ownedBy()));
    }
    clientResponse.setStatus(200);
    clientResponse.setContentType("application/json");
    clientResponse.setContentLength(body.length);
    clientResponse.getOutputStream().write(body);
  }

  /** Captures the client headers that providers copy with {@code $Name}, while on the container thread. */
  private static Map<String, String> copiedHeaders(HttpServletRequest clientRequest, GatewaySnapshot snapshot) {
    List<String> names = snapshot.copiedClientHeaders();
    if (names.isEmpty()) {
      return Map.of();
    }
    Map<String, String> copied = new HashMap<>();
    for (String name : names) {
      String header = clientRequest.getHeader(name);
      if (header != null) {
        copied.put(name, header);
      }
    }
    return copied;
  }

  private static String newExchangeId() {
    return Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffffL);
  }
}
