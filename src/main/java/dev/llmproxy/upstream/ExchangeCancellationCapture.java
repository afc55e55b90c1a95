package dev.llmproxy.upstream;

import java.io.IOException;
import org.apache.hc.client5.http.async.AsyncExecCallback;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.client5.http.async.AsyncExecChainHandler;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;

/**
 * An exec chain step just before the transport: lets an exchange's own cancellable reach the request's
 * {@link ExchangeCancellation} (see there why the future is not enough). Cancelling an HTTP/1.1 exchange closes its
 * connection, which carries nothing else; cancelling an HTTP/2 one resets its stream (at the stream's next frame).
 *
 * <p>The HTTP/2 client runs it for every exchange, with {@link Http2StreamIsolation}; the pooling client only for
 * HTTP/1.1 ones ({@link StepByProtocol}). The pooling client (5.6) ends a cancelled HTTP/2 exchange without
 * resetting its stream and by discarding its connection, with every other stream on it; there the response consumer
 * resets a departed client's stream at its next bytes instead ({@link UpstreamResponseConsumer#abort()}).
 */
final class ExchangeCancellationCapture implements AsyncExecChainHandler {
  static final String NAME = "llm-proxy-exchange-cancellation";

  @Override
  public void execute(HttpRequest request, AsyncEntityProducer entityProducer, AsyncExecChain.Scope scope,
      AsyncExecChain chain, AsyncExecCallback callback) throws HttpException, IOException {
    ExchangeCancellation cancellation = ExchangeCancellation.of(scope.clientContext);
    if (cancellation == null) {
      chain.proceed(request, entityProducer, scope, callback);
      return;
    }
    AsyncExecChain.Scope captured = new AsyncExecChain.Scope(scope.exchangeId, scope.route, scope.originalRequest,
        cancellation.passingOnTo(scope.cancellableDependency), scope.clientContext, scope.execRuntime,
        scope.scheduler, scope.execCount);
    chain.proceed(request, entityProducer, captured, callback);
  }
}
