package dev.llmproxy.relay;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.RequestNotExecutedException;
import org.apache.hc.core5.http.impl.BasicEndpointDetails;
import org.apache.hc.core5.http.impl.BasicHttpConnectionMetrics;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.Test;

class StaleConnectionTest {

  @Test
  void aReusedConnectionClosedOrResetBeforeTheAnswerWentStale() {
    assertTrue(StaleConnection.closedUnderRequest(new ConnectionClosedException(), connection(2, 1)));
    assertTrue(StaleConnection.closedUnderRequest(new SocketException("Connection reset"), connection(2, 1)));
    assertTrue(StaleConnection.closedUnderRequest(new ConnectionClosedException(), connection(3, 0)),
        "HttpCore 5.4 counts responses as requests");
  }

  @Test
  void aFreshConnectionThatClosesIsTheUpstreamsDoing() {
    assertFalse(StaleConnection.closedUnderRequest(new ConnectionClosedException(), connection(1, 0)));
    assertFalse(StaleConnection.closedUnderRequest(new ConnectionClosedException(), connection(0, 0)));
    assertFalse(StaleConnection.closedUnderRequest(new ConnectException("Connection refused"),
        HttpCoreContext.create()), "no connection at all");
  }

  @Test
  void timeoutsAreNotStaleConnections() {
    assertFalse(StaleConnection.closedUnderRequest(new SocketTimeoutException(), connection(2, 1)));
  }

  @Test
  void aRequestHttpCoreNeverSentIsRepeatedWhateverTheConnection() {
    assertTrue(StaleConnection.closedUnderRequest(new RequestNotExecutedException(), HttpCoreContext.create()));
  }

  private static HttpCoreContext connection(int requests, int responses) {
    BasicHttpConnectionMetrics metrics = new BasicHttpConnectionMetrics(null, null);
    for (int i = 0; i < requests; i++) {
      metrics.incrementRequestCount();
    }
    for (int i = 0; i < responses; i++) {
      metrics.incrementResponseCount();
    }
    HttpCoreContext context = HttpCoreContext.create();
    context.setEndpointDetails(new BasicEndpointDetails(new InetSocketAddress("127.0.0.1", 8000),
        new InetSocketAddress("127.0.0.1", 50000), metrics, Timeout.ofSeconds(1)));
    return context;
  }
}
