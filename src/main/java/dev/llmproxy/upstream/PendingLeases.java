package dev.llmproxy.upstream;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code upstream.pool-wait}: HttpCore's pool gives up a request waiting for a connection only when it
 * looks at its waiting requests, which it does when a connection is leased or released. So one request behind
 * a pool of long streams waited for the first stream to end (seconds to minutes), not for its deadline. The
 * pool's own {@code validatePendingRequests()} fails the expired ones and fires their callbacks; the connection
 * manager does not expose its pool, so it is reached once, at creation, by reflection (the field is HttpClient's
 * {@code pool}; checked by {@code GatewayBusyIT}). Stateless.
 */
final class PendingLeases {
  private static final Logger LOG = LoggerFactory.getLogger(PendingLeases.class);

  private PendingLeases() {}

  /** What fails the requests of {@code connections} that waited past their deadline; a no-op if unreachable. */
  static Runnable sweeper(PoolingAsyncClientConnectionManager connections) {
    try {
      Field field = PoolingAsyncClientConnectionManager.class.getDeclaredField("pool");
      field.setAccessible(true);
      Object pool = field.get(connections);
      Method validate = pool.getClass().getMethod("validatePendingRequests");
      return () -> {
        try {
          validate.invoke(pool);
        } catch (ReflectiveOperationException e) {
          LOG.debug("could not check requests waiting for a connection: {}", e.toString());
        }
      };
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("upstream.pool-wait is only kept when a connection is leased or released ({}): this HttpClient "
          + "version hides its pool", e.toString());
      return () -> { };
    }
  }
}
