package dev.llmproxy.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmproxy.testing.LogCapture;
import java.util.logging.Level;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sweep that keeps {@code upstream.pool-wait} reaches HttpClient's pool whether the connection manager may speak
 * HTTP/2 (its pool then sits inside {@code H2SharingConnPool}: the default, {@code http2: negotiate}) or not.
 */
class PendingLeasesTest {
  @ParameterizedTest(name = "message multiplexing {0}")
  @ValueSource(booleans = {true, false})
  void theSweepReachesThePool(boolean multiplexing) throws Exception {
    try (LogCapture log = new LogCapture();
        PoolingAsyncClientConnectionManager connections = PoolingAsyncClientConnectionManagerBuilder.create()
            .setMessageMultiplexing(multiplexing).build()) {
      PendingLeases.sweeper(connections).run();

      assertEquals(0, log.count(Level.WARNING), "no warning that pool-wait is not kept: " + log.lines());
    }
  }
}
