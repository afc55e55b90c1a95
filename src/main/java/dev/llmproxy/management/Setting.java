package dev.llmproxy.management;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scalar settings management exposes one route each for, with their YAML path, accepted JSON type
 * and the default shown when the file does not set them (the loader's defaults).
 */
enum Setting {
  DEBUG("debug", List.of("debug"), Type.BOOLEAN, false),
  PROXY_URL("proxy-url", List.of("proxy-url"), Type.STRING, ""),
  REQUEST_RETRY("request-retry", List.of("request-retry"), Type.INTEGER, 0),
  MAX_RETRY_CREDENTIALS("max-retry-credentials", List.of("max-retry-credentials"), Type.INTEGER, 0),
  MAX_RETRY_INTERVAL("max-retry-interval", List.of("max-retry-interval"), Type.DURATION, 0),
  FORCE_MODEL_PREFIX("force-model-prefix", List.of("force-model-prefix"), Type.BOOLEAN, false),
  ROUTING_STRATEGY("routing/strategy", List.of("routing", "strategy"), Type.STRING, "round-robin");

  /** What {@code {"value":X}} must hold. */
  enum Type { BOOLEAN, INTEGER, STRING, DURATION }

  private final String route;
  private final List<String> path;
  private final Type type;
  private final Object defaultValue;

  Setting(String route, List<String> path, Type type, Object defaultValue) {
    this.route = route;
    this.path = path;
    this.type = type;
    this.defaultValue = defaultValue;
  }

  static Setting ofRoute(String route) {
    for (Setting s : values()) {
      if (s.route.equals(route)) {
        return s;
      }
    }
    return null;
  }

  List<String> path() {
    return path;
  }

  /**
   * The mapping of {@code root} that holds this setting ({@code routing} for {@code routing/strategy}),
   * created empty where the file has none yet.
   *
   * @throws ManagementException 409 when the file has something other than a mapping on the way
   */
  @SuppressWarnings("unchecked")
  Map<String, Object> parentIn(Map<String, Object> root) {
    Map<String, Object> parent = root;
    for (String segment : path.subList(0, path.size() - 1)) {
      Object child = parent.computeIfAbsent(segment, k -> new LinkedHashMap<String, Object>());
      if (!(child instanceof Map)) {
        throw new ManagementException(409, "config_unreadable", segment + " in config.yaml is not a mapping");
      }
      parent = (Map<String, Object>) child;
    }
    return parent;
  }

  /** The JSON field name of a GET: the last path segment ({@code {"strategy":"fill-first"}}). */
  String field() {
    return path.get(path.size() - 1);
  }

  Object defaultValue() {
    return defaultValue;
  }

  /** True when a JSON value is acceptable for this setting (range and spelling are the loader's job). */
  boolean accepts(Object value) {
    return switch (type) {
      case BOOLEAN -> value instanceof Boolean;
      case INTEGER -> value instanceof Integer || value instanceof Long;
      case STRING -> value instanceof String;
      case DURATION -> value instanceof Integer || value instanceof Long || value instanceof String;
    };
  }
}
