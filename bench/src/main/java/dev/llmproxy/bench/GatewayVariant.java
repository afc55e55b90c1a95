package dev.llmproxy.bench;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A second gateway measured in nginx's place, interleaved round by round with the first, so a difference
 * between two builds or two configs is read against the noise of one run: {@code -Dbench.variant=NAME},
 * either a config preset below (same WAR) or any name with {@code -Dbench.variantWar=<another WAR>} (same
 * config). Immutable.
 */
record GatewayVariant(String name, Path war, String extraConfig, boolean needsRedis, int limitedKeys) {
  /** Config presets: name, what it changes. */
  static final Map<String, String> PRESETS = new TreeMap<>(Map.of(
      "usage-memory", "`usage.store: memory` (the first gateway keeps the default, embedded H2)",
      "redis", "`state.store: redis` on a local redis-server the benchmark starts (the first gateway: memory)",
      "same", "the first gateway's WAR and config again (an A/A run: the noise between two equal gateways)",
      "keys100", "100 client keys with limits (rpm, tpm, monthly tokens and cost, models; never reached), the benchmark "
          + "sending with one of them; the first gateway has one plain key (needs a WAR with client keys: "
          + "-Dbench.war for both)"));

  static GatewayVariant of(Settings s, Path mainWar) {
    if (!s.variantWar().isBlank()) {
      return new GatewayVariant(s.variant(), Path.of(s.variantWar()), "", false, 0);
    }
    return switch (s.variant()) {
      case "usage-memory" -> new GatewayVariant(s.variant(), mainWar, "usage:\n  store: memory\n", false, 0);
      case "redis" -> new GatewayVariant(s.variant(), mainWar,
          "state:\n  store: redis\n  redis-url: \"redis://127.0.0.1:" + s.redisPort() + "\"\n", true, 0);
      case "same" -> new GatewayVariant(s.variant(), mainWar, "", false, 0);
      case "keys100" -> new GatewayVariant(s.variant(), mainWar, "", false, 100);
      default -> throw new IllegalArgumentException("unknown variant " + s.variant());
    };
  }

  /** What the report says it is; {@code jvmExtra}: its own further JVM options ({@code -Dbench.variantJvmOptions}). */
  String describe(String jvmExtra) {
    String what = PRESETS.containsKey(name) ? PRESETS.get(name) : "the WAR " + war + " with the first gateway's config";
    return jvmExtra.isBlank() ? what : what + ", with the JVM options `" + jvmExtra.trim() + "` added";
  }
}
