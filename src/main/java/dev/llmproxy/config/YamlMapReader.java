package dev.llmproxy.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads typed values out of one YAML mapping while tracking its path, so every problem names the exact
 * YAML key ({@code openai-compatibility[1].api-key-entries[0].proxy-url}). Reports type mismatches
 * and, in {@link #finish}, keys it was never asked about.
 */
final class YamlMapReader {
  private final String path;
  private final Map<String, Object> map;
  private final ConfigProblems problems;
  private final Set<String> seen = new HashSet<>();

  YamlMapReader(String path, Map<String, Object> map, ConfigProblems problems) {
    this.path = path;
    this.map = map;
    this.problems = problems;
  }

  /** Wraps {@code value} if it is a mapping; reports an error and returns an empty reader otherwise. */
  static YamlMapReader of(String path, Object value, ConfigProblems problems) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>();
      m.forEach((k, v) -> copy.put(String.valueOf(k), v));
      return new YamlMapReader(path, copy, problems);
    }
    if (value != null) {
      problems.error(path, "expected a mapping but found " + describe(value));
    }
    return new YamlMapReader(path, Map.of(), problems);
  }

  String path() {
    return path;
  }

  String childPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  boolean has(String key) {
    return map.containsKey(key);
  }

  Object raw(String key) {
    seen.add(key);
    return map.get(key);
  }

  String string(String key, String defaultValue) {
    Object v = raw(key);
    if (v == null) {
      return defaultValue;
    }
    if (v instanceof String || v instanceof Number || v instanceof Boolean) {
      return String.valueOf(v).trim();
    }
    problems.error(childPath(key), "expected a string but found " + describe(v));
    return defaultValue;
  }

  boolean bool(String key, boolean defaultValue) {
    Boolean b = optionalBool(key);
    return b == null ? defaultValue : b;
  }

  Boolean optionalBool(String key) {
    Object v = raw(key);
    if (v == null) {
      return null;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(s);
    }
    problems.error(childPath(key), "expected true or false but found " + describe(v));
    return null;
  }

  int integer(String key, int defaultValue, int min, int max) {
    Integer i = optionalInteger(key, min, max);
    return i == null ? defaultValue : i;
  }

  Integer optionalInteger(String key, int min, int max) {
    Object v = raw(key);
    if (v == null) {
      return null;
    }
    Long parsed = wholeNumber(key, v, false);
    if (parsed == null) {
      return null;
    }
    if (parsed < min || parsed > max) {
      problems.error(childPath(key), parsed + " is out of range; expected " + min + " to " + max);
      return null;
    }
    return parsed.intValue();
  }

  /** A whole number of {@code long} range, at least {@code min}; {@code null} when absent or wrong. */
  Long optionalLong(String key, long min) {
    Object v = raw(key);
    if (v == null) {
      return null;
    }
    Long parsed = wholeNumber(key, v, true);
    if (parsed == null) {
      return null;
    }
    if (parsed < min) {
      problems.error(childPath(key), parsed + " is out of range; expected at least " + min);
      return null;
    }
    return parsed;
  }

  /**
   * {@code v} (the value at {@code key}) as a whole number: a YAML integer or a string holding one, with {@code _}
   * between digit groups when {@code grouped} ({@code "1_000_000"}); {@code null}, with the problem recorded, when it
   * is neither.
   */
  private Long wholeNumber(String key, Object v, boolean grouped) {
    if (v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    }
    if (v instanceof String s) {
      try {
        return Long.parseLong(grouped ? s.trim().replace("_", "") : s.trim());
      } catch (NumberFormatException ignored) {
        // reported below
      }
    }
    problems.error(childPath(key), "expected a whole number but found " + describe(v));
    return null;
  }

  /** A decimal number ({@code 2.5}, {@code "0.15"}), at least 0; {@code null} when absent or wrong. */
  BigDecimal optionalDecimal(String key) {
    Object v = raw(key);
    if (v == null) {
      return null;
    }
    BigDecimal parsed = null;
    try {
      if (v instanceof Integer || v instanceof Long || v instanceof BigInteger) {
        parsed = new BigDecimal(v.toString());
      } else if (v instanceof Double || v instanceof Float) {
        // Through the shortest decimal text: 0.1 stays 0.1, not 0.1000000000000000055...
        parsed = BigDecimal.valueOf(((Number) v).doubleValue());
      } else if (v instanceof String s) {
        parsed = new BigDecimal(s.trim());
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    if (parsed == null) {
      problems.error(childPath(key), "expected a number but found " + describe(v));
      return null;
    }
    if (parsed.signum() < 0) {
      problems.error(childPath(key), parsed.toPlainString() + " is negative; expected 0 or more");
      return null;
    }
    return parsed;
  }

  /** A duration given as whole seconds (CLIProxyAPI style) or with a unit: 500ms, 30s, 5m, 1h. */
  Duration duration(String key, Duration defaultValue) {
    return parsed(key, defaultValue, ConfigValues::parseDuration);
  }

  /** A byte size given as a number of bytes or with a unit: 512KiB, 32MiB, 1GiB (KB/MB/GB are decimal). */
  long size(String key, long defaultValue) {
    return parsed(key, defaultValue, ConfigValues::parseSize);
  }

  /** A scalar read by {@code parser}, whose IllegalArgumentException message becomes the error text. */
  private <T> T parsed(String key, T defaultValue, java.util.function.Function<Object, T> parser) {
    Object v = raw(key);
    if (v == null) {
      return defaultValue;
    }
    try {
      return parser.apply(v);
    } catch (IllegalArgumentException e) {
      problems.error(childPath(key), e.getMessage());
      return defaultValue;
    }
  }

  /** An enum value written in kebab-case; {@code aliases} maps extra spellings to canonical ones. */
  <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue, Map<String, E> aliases) {
    String s = string(key, null);
    if (s == null || s.isEmpty()) {
      return defaultValue;
    }
    String normal = s.toLowerCase(Locale.ROOT);
    if (aliases.containsKey(normal)) {
      return aliases.get(normal);
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().replace('_', '-').equalsIgnoreCase(normal)) {
        return e;
      }
    }
    List<String> allowed = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      allowed.add(e.name().replace('_', '-').toLowerCase(Locale.ROOT));
    }
    problems.error(childPath(key), "unknown value '" + s + "'; expected one of " + String.join(", ", allowed));
    return defaultValue;
  }

  List<String> stringList(String key) {
    List<?> list = list(key);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Object item = list.get(i);
      if (item instanceof String || item instanceof Number || item instanceof Boolean) {
        String s = String.valueOf(item).trim();
        if (!s.isEmpty()) {
          out.add(s);
        }
      } else if (item != null) {
        problems.error(childPath(key) + "[" + i + "]", "expected a string but found " + describe(item));
      }
    }
    return out;
  }

  /** A list of regular expressions, each compiled; one that does not compile is an error at its index. */
  List<Pattern> patternList(String key) {
    List<?> list = list(key);
    List<Pattern> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Object item = list.get(i);
      if (!(item instanceof String s)) {
        problems.error(childPath(key) + "[" + i + "]", "expected a regular expression but found " + describe(item));
        continue;
      }
      try {
        out.add(Pattern.compile(s));
      } catch (PatternSyntaxException e) {
        problems.error(childPath(key) + "[" + i + "]", "'" + s + "' is not a valid regular expression: "
            + e.getDescription());
      }
    }
    return out;
  }

  /**
   * Binds each item of a list of mappings with {@code binder}, giving it a reader at {@code key[i]};
   * the binder calls {@link #finish} on it with the keys it tolerates.
   */
  <T> List<T> objectList(String key, BiFunction<YamlMapReader, Integer, T> binder) {
    List<?> list = list(key);
    List<T> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      YamlMapReader item = of(childPath(key) + "[" + i + "]", list.get(i), problems);
      T bound = binder.apply(item, i);
      if (bound != null) {
        out.add(bound);
      }
    }
    return out;
  }

  /** The list at {@code key}; empty when absent, and reported when it is something else. */
  private List<?> list(String key) {
    Object v = raw(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> list)) {
      problems.error(childPath(key), "expected a list but found " + describe(v));
      return List.of();
    }
    return list;
  }

  YamlMapReader child(String key) {
    return of(childPath(key), raw(key), problems);
  }

  Map<String, String> stringMap(String key) {
    Object v = raw(key);
    Map<String, String> out = new LinkedHashMap<>();
    if (v == null) {
      return out;
    }
    if (!(v instanceof Map<?, ?> m)) {
      problems.error(childPath(key), "expected a mapping but found " + describe(v));
      return out;
    }
    m.forEach((k, val) -> {
      String name = String.valueOf(k).trim();
      if (val instanceof Map || val instanceof List) {
        problems.error(childPath(key) + "." + name, "expected a string but found " + describe(val));
      } else if (!name.isEmpty() && val != null && !String.valueOf(val).isBlank()) {
        out.put(name, String.valueOf(val).trim());
      }
    });
    return out;
  }

  /**
   * Reports every key that no one asked for: keys in {@code unimplemented} are warnings (a
   * CLIProxyAPI feature this gateway does not have), anything else is an error with a suggestion.
   */
  void finish(Set<String> unimplemented) {
    for (String key : map.keySet()) {
      if (seen.contains(key)) {
        continue;
      }
      if (unimplemented.contains(key)) {
        problems.warning(childPath(key), "is not supported by llm-proxy and is ignored");
        continue;
      }
      List<String> candidates = new ArrayList<>(seen);
      candidates.addAll(unimplemented);
      String suggestion = ConfigValues.closest(key, candidates);
      problems.error(childPath(key), "unknown key" + (suggestion == null ? "" : "; did you mean '" + suggestion + "'?"));
    }
  }

  static String describe(Object v) {
    if (v instanceof Map) {
      return "a mapping";
    }
    if (v instanceof List) {
      return "a list";
    }
    if (v instanceof String s) {
      return "'" + s + "'";
    }
    return String.valueOf(v);
  }
}
