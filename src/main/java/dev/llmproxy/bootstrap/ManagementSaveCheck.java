package dev.llmproxy.bootstrap;

import dev.llmproxy.config.GatewayConfig;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With management on, says at start (and when a reload turns management on) what to run if
 * {@code config.yaml} cannot be saved, before the first management write fails; once, until the file
 * becomes writable again. Called under the reloader's monitor, like every install listener.
 */
final class ManagementSaveCheck implements Consumer<GatewayConfig> {
  private static final Logger LOG = LoggerFactory.getLogger(ManagementSaveCheck.class);

  private final Supplier<String> writeProblem;
  private boolean warned;

  /** @param writeProblem why the file cannot be saved and what to run, or {@code null} (ConfigStore#writeProblem) */
  ManagementSaveCheck(Supplier<String> writeProblem) {
    this.writeProblem = writeProblem;
  }

  @Override
  public synchronized void accept(GatewayConfig config) {
    String problem = config.remoteManagement().enabled() ? writeProblem.get() : null;
    if (problem != null && !warned) {
      LOG.warn("Management is on but cannot save changes: {}", problem);
    }
    warned = problem != null;
  }
}
