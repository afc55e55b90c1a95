package dev.llmproxy.bootstrap;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * Finds the data directory (where the embedded usage database lives), first match wins: system property
 * {@code llmproxy.data.dir}, environment variable {@code LLMPROXY_DATA_DIR}, servlet context
 * init-parameter {@code llmproxy.data.dir} (so deployments in one container can keep apart), then
 * {@code data/} in the config directory. {@code null} when none applies (no config directory either).
 */
final class DataDirectoryLocator {
  static final String PROPERTY = "llmproxy.data.dir";
  static final String ENVIRONMENT = "LLMPROXY_DATA_DIR";

  private DataDirectoryLocator() {}

  static Path locate(Function<String, String> systemProperty, Function<String, String> environment,
      Function<String, String> initParameter, Path configDirectory) {
    for (String value : new String[] {systemProperty.apply(PROPERTY), environment.apply(ENVIRONMENT),
        initParameter.apply(PROPERTY)}) {
      if (value != null && !value.isBlank()) {
        return Path.of(value.trim());
      }
    }
    return configDirectory == null ? null : configDirectory.resolve("data");
  }
}
