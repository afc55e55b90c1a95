package dev.llmproxy.management;

import dev.llmproxy.config.GatewayConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * What a management write must not do to the running gateway: switch management off, after which the API
 * answers 404 and cannot switch it on again; refuse other machines while the write comes from one, signed in with
 * the key ({@link ManagementCaller}), whose operator could not undo it; or take a gateway that checks client keys to
 * none, open to anyone who reaches {@code /v1}. Each stays possible by editing {@code config.yaml} by hand, which the
 * gateway applies when the file changes; the problems say so. Stateless.
 */
final class AccessSafeguard {
  private static final String BY_HAND = "; to do this on purpose, edit config.yaml by hand (the gateway applies the "
      + "saved file on its own)";

  private AccessSafeguard() {}

  /**
   * One line per access {@code updated} would lose that {@code running} has; empty when none, or when nothing runs
   * yet (then management is off and cannot be the writer).
   */
  static List<String> problems(GatewayConfig running, GatewayConfig updated) {
    List<String> problems = new ArrayList<>();
    if (running == null) {
      return problems;
    }
    if (running.remoteManagement().enabled() && !updated.remoteManagement().enabled()) {
      problems.add("remote-management.secret-key: the change leaves it empty while remote-management.auth needs it, "
          + "which switches management off, and it could not be switched on again through this API" + BY_HAND);
    }
    String caller = ManagementCaller.remoteByKey();
    if (caller != null && updated.remoteManagement().enabled() && !updated.remoteManagement().allowRemote()) {
      problems.add("remote-management.allow-remote: the change refuses management calls from other machines, and "
          + "this one comes from " + caller + ", which could not undo it through this API" + BY_HAND);
    }
    if (!running.isOpenAccess() && updated.isOpenAccess()) {
      problems.add("api-keys: the change leaves no client key while client-auth is api-key, which lets anyone call "
          + "/v1 without a key" + BY_HAND);
    }
    return problems;
  }
}
