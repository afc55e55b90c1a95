package dev.llmproxy.upstream;

import org.apache.hc.client5.http.EndpointInfo;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.async.AsyncExecRuntime;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.nio.AsyncClientExchangeHandler;
import org.apache.hc.core5.util.TimeValue;

/**
 * The exec runtime of one exchange on an HTTP/2 connection (the HTTP/2 client's, or the pooling client's when it
 * negotiated HTTP/2) that never marks its connection unusable: HttpClient's transports do so for any failed exchange,
 * and the connection is then closed when the exchange lets it go, with every other stream on it. A connection that
 * really failed is discarded all the same, by the failure's own path. Everything else is the wrapped runtime's. See {@link Http2StreamIsolation}.
 */
final class SharedConnectionRuntime implements AsyncExecRuntime {
  private final AsyncExecRuntime runtime;

  SharedConnectionRuntime(AsyncExecRuntime runtime) {
    this.runtime = runtime;
  }

  /** Not for one stream's failure: the connection serves the others (see the class comment). */
  @Override
  public void markConnectionNonReusable() {
  }

  @Override
  public boolean isEndpointAcquired() {
    return runtime.isEndpointAcquired();
  }

  @Override
  public Cancellable acquireEndpoint(String id, HttpRoute route, Object state, HttpClientContext context, FutureCallback<AsyncExecRuntime> callback) {
    return runtime.acquireEndpoint(id, route, state, context, callback);
  }

  @Override
  public void releaseEndpoint() {
    runtime.releaseEndpoint();
  }

  @Override
  public void discardEndpoint() {
    runtime.discardEndpoint();
  }

  @Override
  public boolean isEndpointConnected() {
    return runtime.isEndpointConnected();
  }

  @Override
  public Cancellable connectEndpoint(HttpClientContext context, FutureCallback<AsyncExecRuntime> callback) {
    return runtime.connectEndpoint(context, callback);
  }

  @Override
  public void disconnectEndpoint() {
    runtime.disconnectEndpoint();
  }

  @Override
  public void upgradeTls(HttpClientContext context) {
    runtime.upgradeTls(context);
  }

  @Override
  public void upgradeTls(HttpClientContext context, FutureCallback<AsyncExecRuntime> callback) {
    runtime.upgradeTls(context, callback);
  }

  @Override
  public EndpointInfo getEndpointInfo() {
    return runtime.getEndpointInfo();
  }

  @Override
  public boolean validateConnection() {
    return runtime.validateConnection();
  }

  @Override
  public Cancellable execute(String id, AsyncClientExchangeHandler exchangeHandler, HttpClientContext context) {
    return runtime.execute(id, exchangeHandler, context);
  }

  @Override
  public void markConnectionReusable(Object state, TimeValue validDuration) {
    runtime.markConnectionReusable(state, validDuration);
  }

  @Override
  public AsyncExecRuntime fork() {
    return new SharedConnectionRuntime(runtime.fork());
  }
}
