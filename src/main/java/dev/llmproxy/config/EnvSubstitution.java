package dev.llmproxy.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} in every string scalar of a parsed YAML tree with the environment variable
 * {@code NAME}, so secrets can stay out of the file. {@code $${NAME}} stays literal as {@code ${NAME}}.
 * An unset variable is an error naming the YAML path (never a silent empty string).
 */
final class EnvSubstitution {
  private static final Pattern REF = EnvReferences.REF;

  private final Function<String, String> env;
  private final ConfigProblems problems;

  EnvSubstitution(Function<String, String> env, ConfigProblems problems) {
    this.env = env;
    this.problems = problems;
  }

  Object apply(String path, Object node) {
    if (node instanceof String s) {
      return substitute(path, s);
    }
    if (node instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(k, apply(path.isEmpty() ? String.valueOf(k) : path + "." + k, v)));
      return out;
    }
    if (node instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        out.add(apply(path + "[" + i + "]", list.get(i)));
      }
      return out;
    }
    return node;
  }

  private String substitute(String path, String value) {
    if (value.indexOf("${") < 0) {
      return value;
    }
    Matcher m = REF.matcher(value);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group().startsWith("$$")) {
        replacement = m.group().substring(1);
      } else {
        String resolved = env.apply(m.group(1));
        if (resolved == null) {
          problems.error(path, "environment variable " + m.group(1) + " is not set");
          resolved = "";
        }
        replacement = resolved;
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
