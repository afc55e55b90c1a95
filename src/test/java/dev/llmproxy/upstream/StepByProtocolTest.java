package dev.llmproxy.upstream;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import org.apache.hc.client5.http.EndpointInfo;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.async.AsyncExecCallback;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.client5.http.async.AsyncExecChainHandler;
import org.apache.hc.client5.http.async.AsyncExecRuntime;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.ComplexCancellable;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.ProtocolVersion;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.junit.jupiter.api.Test;

class StepByProtocolTest {
  private final AsyncExecRuntime runtime = mock(AsyncExecRuntime.class);
  private final AsyncExecChainHandler http1 = mock(AsyncExecChainHandler.class);
  private final AsyncExecChainHandler http2 = mock(AsyncExecChainHandler.class);
  private final AsyncExecChain chain = mock(AsyncExecChain.class);
  private final AsyncExecCallback callback = mock(AsyncExecCallback.class);
  private final AsyncExecChain.Scope scope = new AsyncExecChain.Scope("ex-1",
      new HttpRoute(new HttpHost("127.0.0.1", 9)), new BasicHttpRequest("POST", "/"), new ComplexCancellable(),
      HttpClientContext.create(), runtime);

  private void runOn(ProtocolVersion protocol) throws Exception {
    when(runtime.getEndpointInfo()).thenReturn(protocol == null ? null : new EndpointInfo(protocol, null));
    new StepByProtocol(http1, http2).execute(new BasicHttpRequest("POST", "/"), null, scope, chain, callback);
  }

  @Test
  void aConnectionThatNegotiatedHttp2GetsTheHttp2Step() throws Exception {
    runOn(HttpVersion.HTTP_2);

    verify(http2).execute(any(), any(), any(), any(), any());
    verify(http1, never()).execute(any(), any(), any(), any(), any());
  }

  @Test
  void anHttp1ConnectionGetsTheHttp1StepSoAFailedOneIsStillDropped() throws Exception {
    runOn(HttpVersion.HTTP_1_1);

    verify(http1).execute(any(), any(), any(), any(), any());
    verify(http2, never()).execute(any(), any(), any(), any(), any());
  }

  @Test
  void aConnectionWhoseProtocolIsNotKnownIsTakenForHttp1() throws Exception {
    runOn(null);

    verify(http1).execute(any(), any(), any(), any(), any());
    verify(http2, never()).execute(any(), any(), any(), any(), any());
  }
}
