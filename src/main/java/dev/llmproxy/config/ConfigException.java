package dev.llmproxy.config;

import java.util.List;

/**
 * A config file that cannot be used. Carries every problem found (each naming its YAML path), so an
 * operator fixes them all in one go; the message lists them one per line.
 */
public final class ConfigException extends Exception {
  private final String source;
  private final List<String> problems;

  public ConfigException(String source, List<String> problems) {
    super(formatMessage(source, problems));
    this.source = source;
    this.problems = List.copyOf(problems);
  }

  public String source() {
    return source;
  }

  public List<String> problems() {
    return problems;
  }

  private static String formatMessage(String source, List<String> problems) {
    StringBuilder sb = new StringBuilder(source);
    sb.append(problems.size() == 1 ? " has an error:" : " has the following errors:");
    for (String p : problems) {
      sb.append("\n  * ").append(p);
    }
    return sb.toString();
  }
}
