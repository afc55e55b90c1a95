package dev.llmproxy.upstream;

import java.io.IOException;
import org.apache.hc.client5.http.EndpointInfo;
import org.apache.hc.client5.http.async.AsyncExecCallback;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.client5.http.async.AsyncExecChainHandler;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;

/**
 * An exec chain step just before the transport: lets an exchange's own cancellable reach the request's
 * {@link ExchangeCancellation} (see there why the future is not enough). Cancelling an HTTP/1.1 exchange closes its
 * connection, which carries nothing else; cancelling an HTTP/2 one resets its stream (at the stream's next frame).
 *
 * <p>HTTP/2 exchanges are captured only in the HTTP/2 client, where {@link Http2StreamIsolation} runs too. The
 * pooling client (5.6) ends a cancelled HTTP/2 exchange without resetting its stream and by discarding its connection,
 * with every other stream on it; there the response consumer resets a departed client's stream at its next bytes
 * instead ({@link UpstreamResponseConsumer#abort()}, {@link StepByProtocol}).
 */
final class ExchangeCancellationCapture implements AsyncExecChainHandler {
  static final String NAME = "llm-proxy-exchange-cancellation";

  private final boolean http2StreamsIsolated;

  /** @param http2StreamsIsolated whether a failed HTTP/2 exchange leaves its connection to the others */
  ExchangeCancellationCapture(boolean http2StreamsIsolated) {
    this.http2StreamsIsolated = http2StreamsIsolated;
  }

  @Override
  public void execute(HttpRequest request, AsyncEntityProducer entityProducer, AsyncExecChain.Scope scope,
      AsyncExecChain chain, AsyncExecCallback callback) throws HttpException, IOException {
    ExchangeCancellation cancellation = ExchangeCancellation.of(scope.clientContext);
    if (cancellation == null || (!http2StreamsIsolated && isMultiplexed(scope.execRuntime.getEndpointInfo()))) {
      chain.proceed(request, entityProducer, scope, callback);
      return;
    }
    AsyncExecChain.Scope captured = new AsyncExecChain.Scope(scope.exchangeId, scope.route, scope.originalRequest,
        cancellation.passingOnTo(scope.cancellableDependency), scope.clientContext, scope.execRuntime,
        scope.scheduler, scope.execCount);
    chain.proceed(request, entityProducer, captured, callback);
  }

  /** Whether {@code endpoint} speaks HTTP/2 (streams multiplexed on one connection); {@code false} when unknown. */
  static boolean isMultiplexed(EndpointInfo endpoint) {
    return endpoint != null && endpoint.getProtocol() != null
        && endpoint.getProtocol().greaterEquals(HttpVersion.HTTP_2);
  }
}
