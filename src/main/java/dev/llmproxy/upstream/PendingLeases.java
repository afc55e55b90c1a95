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
 * {@code pool}, inside {@code H2SharingConnPool} when the manager may speak HTTP/2; checked by {@code GatewayBusyIT}
 * and {@code PendingLeasesTest}). Stateless.
 */
final class PendingLeases {
  private static final Logger LOG = LoggerFactory.getLogger(PendingLeases.class);

  private PendingLeases() {}

  /** What fails the requests of {@code connections} that waited past their deadline; a no-op if unreachable. */
  static Runnable sweeper(PoolingAsyncClientConnectionManager connections) {
    try {
      Object managed = field(PoolingAsyncClientConnectionManager.class, "pool", connections);
      // A manager that may speak HTTP/2 wraps its pool in H2SharingConnPool, which keeps the real one as "pool".
      Object pool = hasValidate(managed) ? managed : field(managed.getClass(), "pool", managed);
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

  private static Object field(Class<?> owner, String name, Object of) throws ReflectiveOperationException {
    Field field = owner.getDeclaredField(name);
    field.setAccessible(true);
    return field.get(of);
  }

  private static boolean hasValidate(Object pool) {
    try {
      pool.getClass().getMethod("validatePendingRequests");
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
