package dev.llmproxy.management;

import dev.llmproxy.config.GatewayConfig;
import java.util.function.Supplier;

/**
 * Where a validated config goes live, and the lock that orders file edits with reloads from disk.
 * Implemented by the bootstrap's reloader; management only sees this interface.
 */
public interface ConfigInstaller {
  /** Runs {@code action} while no reload can read or install; reentrant. */
  <T> T exclusively(Supplier<T> action);

  /** Makes {@code config}, validated from {@code text} that is now on disk, the running snapshot. */
  void install(GatewayConfig config, String text);

  /** The config the gateway runs now; {@code null} while none could be loaded. */
  GatewayConfig running();

  /** True when {@code text} is what the running snapshot was built from (no need to install it again). */
  boolean isRunning(String text);
}
