package dev.llmproxy.bootstrap;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Finds the config directory, first match wins: system property {@code llmproxy.config.dir},
 * environment variable {@code LLMPROXY_CONFIG_DIR}, servlet context init-parameter
 * {@code llmproxy.config.dir}, then {@code ${catalina.base}/conf/llm-proxy/} if it exists. Records
 * every place it looked so a missing config can say exactly where.
 */
final class ConfigDirectoryLocator {
  static final String PROPERTY = "llmproxy.config.dir";
  static final String ENVIRONMENT = "LLMPROXY_CONFIG_DIR";

  /** The result: the chosen directory (or {@code null}) and a description of each place consulted. */
  record Located(Path directory, List<String> lookedAt) {}

  private final Function<String, String> systemProperty;
  private final Function<String, String> environment;
  private final Function<String, String> initParameter;

  ConfigDirectoryLocator(Function<String, String> systemProperty, Function<String, String> environment,
      Function<String, String> initParameter) {
    this.systemProperty = systemProperty;
    this.environment = environment;
    this.initParameter = initParameter;
  }

  Located locate() {
    List<String> looked = new ArrayList<>();
    String value = systemProperty.apply(PROPERTY);
    looked.add("system property " + PROPERTY + (value == null ? " (not set)" : "=" + value));
    if (notBlank(value)) {
      return new Located(Path.of(value.trim()), looked);
    }
    value = environment.apply(ENVIRONMENT);
    looked.add("environment variable " + ENVIRONMENT + (value == null ? " (not set)" : "=" + value));
    if (notBlank(value)) {
      return new Located(Path.of(value.trim()), looked);
    }
    value = initParameter.apply(PROPERTY);
    looked.add("context init-parameter " + PROPERTY + (value == null ? " (not set)" : "=" + value));
    if (notBlank(value)) {
      return new Located(Path.of(value.trim()), looked);
    }
    String catalinaBase = systemProperty.apply("catalina.base");
    if (notBlank(catalinaBase)) {
      Path dir = Path.of(catalinaBase, "conf", "llm-proxy");
      looked.add(dir + (Files.isDirectory(dir) ? "" : " (does not exist)"));
      if (Files.isDirectory(dir)) {
        return new Located(dir, looked);
      }
    } else {
      looked.add("${catalina.base}/conf/llm-proxy (catalina.base not set)");
    }
    return new Located(null, looked);
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }
}
