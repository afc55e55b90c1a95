package dev.llmproxy.upstream;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.async.AsyncExecCallback;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.client5.http.async.AsyncExecRuntime;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.ComplexCancellable;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http2.H2Error;
import org.apache.hc.core5.http2.H2StreamResetException;
import org.junit.jupiter.api.Test;

class Http2StreamIsolationTest {
  private final HttpClientContext context = HttpClientContext.create();
  private final UpstreamListener listener = mock(UpstreamListener.class);
  private final AsyncExecRuntime runtime = mock(AsyncExecRuntime.class);
  private final AsyncExecCallback above = mock(AsyncExecCallback.class);
  private final AsyncExecChain below = mock(AsyncExecChain.class);
  private final AtomicReference<AsyncExecChain.Scope> scopeBelow = new AtomicReference<>();
  private final AtomicReference<AsyncExecCallback> callbackBelow = new AtomicReference<>();

  Http2StreamIsolationTest() throws Exception {
    new UpstreamResponseConsumer(listener).attachTo(context);
    doAnswer(call -> {
      scopeBelow.set(call.getArgument(2));
      callbackBelow.set(call.getArgument(3));
      return null;
    }).when(below).proceed(any(), any(), any(), any());
    AsyncExecChain.Scope scope = new AsyncExecChain.Scope("ex-1", new HttpRoute(new HttpHost("127.0.0.1", 9)),
        new BasicHttpRequest("POST", "/"),
        new ComplexCancellable(), context, runtime);
    new Http2StreamIsolation().execute(new BasicHttpRequest("POST", "/"), null, scope, below, above);
  }

  @Test
  void aResetStreamEndsItsExchangeAloneAndLeavesTheConnection() {
    H2StreamResetException reset = new H2StreamResetException(H2Error.CANCEL, "Cancelled");

    callbackBelow.get().failed(reset);

    verify(listener).onUpstreamFailed(reset);
    verify(above).completed();
    verify(above, never()).failed(any());
  }

  @Test
  void theTransportCannotMarkTheSharedConnectionUnusable() {
    scopeBelow.get().execRuntime.markConnectionNonReusable();
    scopeBelow.get().execRuntime.releaseEndpoint();

    verify(runtime, never()).markConnectionNonReusable();
    verify(runtime).releaseEndpoint();
    assertInstanceOf(SharedConnectionRuntime.class, scopeBelow.get().execRuntime.fork());
  }

  @Test
  void aConnectionFailureGoesUpUnchanged() {
    IOException broken = new IOException("connection reset");

    callbackBelow.get().failed(broken);

    verify(above).failed(broken);
    verify(above, never()).completed();
  }
}
