package dev.llmproxy.upstream;

import java.io.IOException;
import org.apache.hc.client5.http.async.AsyncExecCallback;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.client5.http.async.AsyncExecChainHandler;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.HttpStreamResetException;
import org.apache.hc.core5.http.nio.AsyncDataConsumer;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;

/**
 * An exec chain step just before the transport, for exchanges on HTTP/2 connections (every one of the HTTP/2 client's,
 * and the pooling client's that negotiated HTTP/2 by ALPN, through {@link StepByProtocol}): a failure of one stream
 * (reset by the upstream, or by the gateway for a client that left) ends that exchange alone. Never for HTTP/1.1,
 * whose failed connection must be dropped.
 *
 * <p>HttpClient (5.6) ends every failed exchange by discarding its connection: on a multiplexed connection that broke
 * every other stream on it mid-answer (measured: a neighbour cut off after 3 of 30 events when one client left). Here
 * a stream-level failure is told to the exchange's {@link UpstreamResponseConsumer} directly and goes up the chain as
 * a completed exchange, and the connection is never marked unusable for it ({@link SharedConnectionRuntime}), so
 * HttpClient gives the connection back instead. Any other failure goes up unchanged. Stateless.
 */
final class Http2StreamIsolation implements AsyncExecChainHandler {
  static final String NAME = "llm-proxy-http2-stream-isolation";

  @Override
  public void execute(HttpRequest request, AsyncEntityProducer entityProducer, AsyncExecChain.Scope scope,
      AsyncExecChain chain, AsyncExecCallback callback) throws HttpException, IOException {
    UpstreamResponseConsumer consumer = UpstreamResponseConsumer.of(scope.clientContext);
    if (consumer == null) {
      chain.proceed(request, entityProducer, scope, callback);
      return;
    }
    AsyncExecChain.Scope isolated = new AsyncExecChain.Scope(scope.exchangeId, scope.route, scope.originalRequest,
        scope.cancellableDependency, scope.clientContext, new SharedConnectionRuntime(scope.execRuntime),
        scope.scheduler, scope.execCount);
    chain.proceed(request, entityProducer, isolated, new AsyncExecCallback() {
      @Override
      public AsyncDataConsumer handleResponse(HttpResponse response, EntityDetails entityDetails)
          throws HttpException, IOException {
        return callback.handleResponse(response, entityDetails);
      }

      @Override
      public void handleInformationResponse(HttpResponse response) throws HttpException, IOException {
        callback.handleInformationResponse(response);
      }

      @Override
      public void completed() {
        callback.completed();
      }

      @Override
      public void failed(Exception cause) {
        if (cause instanceof HttpStreamResetException) {
          consumer.failed(cause);
          callback.completed(); // the connection goes back to serve its other streams
        } else {
          callback.failed(cause);
        }
      }
    });
  }
}
