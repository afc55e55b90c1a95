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
 * The pooling client's one exec chain step before the transport: hands each exchange to the step for the protocol
 * its connection speaks, {@link ExchangeCancellationCapture} on HTTP/1.1 and {@link Http2StreamIsolation} on HTTP/2
 * negotiated by ALPN. One step rather than two in the chain, because every step is on every upstream request's
 * path. Stateless.
 */
final class StepByProtocol implements AsyncExecChainHandler {
  static final String NAME = "llm-proxy-step-by-protocol";

  private final AsyncExecChainHandler http1;
  private final AsyncExecChainHandler http2;

  StepByProtocol(AsyncExecChainHandler http1, AsyncExecChainHandler http2) {
    this.http1 = http1;
    this.http2 = http2;
  }

  @Override
  public void execute(HttpRequest request, AsyncEntityProducer entityProducer, AsyncExecChain.Scope scope,
      AsyncExecChain chain, AsyncExecCallback callback) throws HttpException, IOException {
    AsyncExecChainHandler step = isMultiplexed(scope.execRuntime.getEndpointInfo()) ? http2 : http1;
    step.execute(request, entityProducer, scope, chain, callback);
  }

  /** Whether {@code endpoint} speaks HTTP/2 (streams multiplexed on one connection); {@code false} when unknown. */
  private static boolean isMultiplexed(EndpointInfo endpoint) {
    return endpoint != null && endpoint.getProtocol() != null
        && endpoint.getProtocol().greaterEquals(HttpVersion.HTTP_2);
  }
}
