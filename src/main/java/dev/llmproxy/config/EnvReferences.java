package dev.llmproxy.config;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment variables a config tree refers to as {@code ${NAME}} ({@code $${NAME}} is a literal, no reference).
 * Management writes may not add one: through a header or a URL sent upstream, a management key would read whatever
 * the host's environment holds (a database password, a cloud credential). Stateless.
 */
public final class EnvReferences {
  /** {@code ${NAME}}, or {@code $${NAME}} written to keep it literal. */
  static final Pattern REF = Pattern.compile("\\$?\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  private EnvReferences() {}

  /** The names referred to anywhere in {@code tree} (plain YAML values), sorted. */
  public static Set<String> in(Object tree) {
    Set<String> names = new TreeSet<>();
    collect(tree, names);
    return names;
  }

  private static void collect(Object node, Set<String> names) {
    if (node instanceof String s) {
      if (s.contains("${")) {
        Matcher m = REF.matcher(s);
        while (m.find()) {
          if (!m.group().startsWith("$$")) {
            names.add(m.group(1));
          }
        }
      }
    } else if (node instanceof Map<?, ?> map) {
      map.values().forEach(value -> collect(value, names)); // keys are never substituted
    } else if (node instanceof List<?> list) {
      list.forEach(item -> collect(item, names));
    }
  }
}
