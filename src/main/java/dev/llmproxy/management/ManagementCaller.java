package dev.llmproxy.management;

import jakarta.servlet.ServletException;
import java.io.IOException;

/**
 * Who sent the management request the current thread serves, as far as a config write must know it: the address of
 * a caller that signed in with the key from another machine, whom a write switching {@code allow-remote} off would
 * shut out ({@link AccessSafeguard}). Set by {@link ManagementAuthFilter} around the request: the resources run on
 * the filter's thread, synchronously, and a thread-local spares every write method a parameter only this check
 * reads. Nothing is set for loopback callers, container sign-ins or writes the gateway makes itself.
 */
final class ManagementCaller {
  private static final ThreadLocal<String> REMOTE_BY_KEY = new ThreadLocal<>();

  /** What the filter chain does; {@link jakarta.servlet.FilterChain#doFilter} throws these. */
  interface Served {
    void run() throws IOException, ServletException;
  }

  private ManagementCaller() {}

  /** Runs {@code served} with {@code remoteAddress} (or none, {@code null}) as the caller's. */
  static void serve(String remoteAddress, Served served) throws IOException, ServletException {
    if (remoteAddress == null) {
      served.run();
      return;
    }
    REMOTE_BY_KEY.set(remoteAddress);
    try {
      served.run();
    } finally {
      REMOTE_BY_KEY.remove();
    }
  }

  /** The address of a caller signed in with the key from another machine, or {@code null}. */
  static String remoteByKey() {
    return REMOTE_BY_KEY.get();
  }
}
