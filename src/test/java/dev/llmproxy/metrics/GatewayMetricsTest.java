package dev.llmproxy.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.routing.LocalCooldowns;
import java.lang.ref.WeakReference;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {

  /**
   * Micrometer holds the object behind a function counter weakly: a supplier that only the meter holds must still
   * be read after a collection (it read NaN once the collector had taken the lambda).
   */
  @Test
  void functionCountersSurviveACollection() {
    try (GatewayMetrics metrics = new GatewayMetrics(null, new LocalCooldowns(Clock.systemUTC()))) {
      // Bound method references, as the gateway passes them: new objects that only the meters hold.
      metrics.watchUsageQueue(new AtomicLong(7)::get, new AtomicInteger(3)::get);
      metrics.watchOpenRequests(new AtomicInteger(2)::get, new AtomicInteger(5)::get, new AtomicLong(4)::get);
      collectWeakReferences();

      String text = metrics.scrape();
      assertTrue(text.contains("llmproxy_usage_records_dropped_total 7.0"), text);
      assertTrue(text.contains("llmproxy_usage_queue_depth 3.0"), text);
      assertTrue(text.contains("llmproxy_requests_open 2.0"), text);
      assertTrue(text.contains("llmproxy_requests_open_limit 5.0"), text);
      assertTrue(text.contains("llmproxy_requests_refused_busy_total 4.0"), text);
    }
  }

  /** Runs the collector until a weakly held object of our own is gone, as the meters' would be. */
  private static void collectWeakReferences() {
    WeakReference<Object> probe = new WeakReference<>(new Object());
    for (int i = 0; i < 50 && probe.get() != null; i++) {
      System.gc();
    }
    assertTrue(probe.get() == null, "the collector did not run");
  }
}
