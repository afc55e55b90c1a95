package dev.llmproxy.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.llmproxy.payload.JsonPath;
import dev.llmproxy.payload.PayloadRule;
import dev.llmproxy.payload.PayloadRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Binds {@code payload:} to {@link PayloadRules}, reporting each problem with its YAML path. A path that cannot be
 * read, a raw value that is no JSON, or a rule touching {@code stream} is an error; a rule that can never apply
 * here (no models, another upstream protocol, an unknown client dialect) is a warning, since a CLIProxyAPI file may
 * carry it for providers this gateway does not have.
 */
final class PayloadBinder {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** CLIProxyAPI's {@code from-protocol} words, and the other names they go by, to the dialect they mean. */
  private static final Map<String, String> DIALECTS = Map.of("openai", "openai", "responses", "responses",
      "response", "responses", "openai-response", "responses", "openai-responses", "responses", "claude", "claude",
      "anthropic", "claude", "gemini", "gemini");

  private final ConfigProblems problems;

  PayloadBinder(ConfigProblems problems) {
    this.problems = problems;
  }

  PayloadRules payload(YamlMapReader r) {
    List<PayloadRule> defaults = new ArrayList<>(rules(r, "default", Kind.VALUE));
    defaults.addAll(rules(r, "default-raw", Kind.RAW));
    List<PayloadRule> overrides = new ArrayList<>(rules(r, "override", Kind.VALUE));
    overrides.addAll(rules(r, "override-raw", Kind.RAW));
    List<PayloadRule> filters = rules(r, "filter", Kind.REMOVAL);
    r.finish(Set.of());
    return new PayloadRules(defaults, overrides, filters);
  }

  /** How a rule's {@code params} are written. */
  private enum Kind { VALUE, RAW, REMOVAL }

  private List<PayloadRule> rules(YamlMapReader r, String key, Kind kind) {
    return r.objectList(key, (rule, i) -> rule(rule, kind));
  }

  private PayloadRule rule(YamlMapReader r, Kind kind) {
    List<PayloadRule.Target> targets = r.objectList("models", (t, i) -> target(t));
    if (!r.has("models") || r.raw("models") instanceof List<?> l && l.isEmpty()) {
      problems.warning(r.path(), "has no models and never applies");
    }
    List<PayloadRule.Param> params = kind == Kind.REMOVAL ? removals(r) : settings(r, kind);
    r.finish(Set.of());
    return new PayloadRule(r.path(), targets, params);
  }

  private List<PayloadRule.Param> settings(YamlMapReader r, Kind kind) {
    List<PayloadRule.Param> params = new ArrayList<>();
    Object raw = r.raw("params");
    if (raw == null) {
      return params;
    }
    if (!(raw instanceof Map<?, ?> map)) {
      problems.error(r.childPath("params"), "expected a mapping of JSON paths to values but found "
          + YamlMapReader.describe(raw));
      return params;
    }
    map.forEach((k, v) -> {
      String where = r.childPath("params") + "[\"" + k + "\"]";
      JsonPath path = path(where, String.valueOf(k), true);
      JsonNode value = kind == Kind.RAW ? rawValue(where, v) : json(v);
      if (path != null && value != null) {
        params.add(new PayloadRule.Param(path, value));
      }
    });
    return params;
  }

  private List<PayloadRule.Param> removals(YamlMapReader r) {
    List<String> paths = r.stringList("params");
    List<PayloadRule.Param> params = new ArrayList<>();
    for (int i = 0; i < paths.size(); i++) {
      JsonPath path = path(r.childPath("params") + "[" + i + "]", paths.get(i), true);
      if (path != null) {
        params.add(new PayloadRule.Param(path, null));
      }
    }
    return params;
  }

  /** A raw value: JSON text, which must parse; anything but a string is taken as the value it already is. */
  private JsonNode rawValue(String where, Object v) {
    if (!(v instanceof String text)) {
      return json(v);
    }
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      problems.error(where, "is not valid JSON: " + e.getOriginalMessage());
      return null;
    }
  }

  private PayloadRule.Target target(YamlMapReader r) {
    String name = r.string("name", "");
    String protocol = r.string("protocol", "");
    String fromProtocol = r.string("from-protocol", "").toLowerCase(Locale.ROOT);
    Map<String, String> headers = r.stringMap("headers");
    List<PayloadRule.Condition> conditions = new ArrayList<>();
    conditions.addAll(valueConditions(r, "match", true));
    conditions.addAll(valueConditions(r, "not-match", false));
    conditions.addAll(presenceConditions(r, "exist", true));
    conditions.addAll(presenceConditions(r, "not-exist", false));
    r.finish(Set.of());
    if (name.isEmpty()) {
      problems.warning(r.path(), "has no name and never applies");
      return null;
    }
    if (!protocol.isEmpty() && !protocol.equalsIgnoreCase(PayloadRule.UPSTREAM_PROTOCOL)) {
      problems.warning(r.childPath("protocol"), "'" + protocol + "' never applies here: every upstream of this "
          + "gateway speaks '" + PayloadRule.UPSTREAM_PROTOCOL + "'");
    }
    String dialect = fromProtocol.isEmpty() ? "" : DIALECTS.get(fromProtocol);
    if (dialect == null) {
      problems.warning(r.childPath("from-protocol"), "'" + fromProtocol + "' is no client dialect and never applies;"
          + " expected openai, responses, claude or gemini");
      dialect = fromProtocol;
    }
    return new PayloadRule.Target(name, protocol, dialect, headers, conditions);
  }

  /** {@code match} and {@code not-match}: a list of mappings, each of JSON paths to the values they must hold. */
  private List<PayloadRule.Condition> valueConditions(YamlMapReader r, String key, boolean wanted) {
    List<PayloadRule.Condition> conditions = new ArrayList<>();
    Object raw = r.raw(key);
    if (raw == null) {
      return conditions;
    }
    if (!(raw instanceof List<?> list)) {
      problems.error(r.childPath(key), "expected a list of mappings but found " + YamlMapReader.describe(raw));
      return conditions;
    }
    for (int i = 0; i < list.size(); i++) {
      String where = r.childPath(key) + "[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> map)) {
        problems.error(where, "expected a mapping of JSON paths to values but found "
            + YamlMapReader.describe(list.get(i)));
        continue;
      }
      map.forEach((k, v) -> {
        JsonPath path = path(where + "[\"" + k + "\"]", String.valueOf(k), false);
        if (path != null) {
          conditions.add(new PayloadRule.Condition(path, json(v), wanted));
        }
      });
    }
    return conditions;
  }

  /** {@code exist} and {@code not-exist}: a list of JSON paths. */
  private List<PayloadRule.Condition> presenceConditions(YamlMapReader r, String key, boolean wanted) {
    List<String> paths = r.stringList(key);
    List<PayloadRule.Condition> conditions = new ArrayList<>();
    for (int i = 0; i < paths.size(); i++) {
      JsonPath path = path(r.childPath(key) + "[" + i + "]", paths.get(i), false);
      if (path != null) {
        conditions.add(new PayloadRule.Condition(path, null, wanted));
      }
    }
    return conditions;
  }

  /** A YAML value as JSON; YAML's {@code null} (or an empty value) is JSON's, which a rule may set or match. */
  private static JsonNode json(Object v) {
    return v == null ? NullNode.getInstance() : JSON.valueToTree(v);
  }

  /** {@code text} read as a path, or {@code null} after reporting why it cannot be. */
  private JsonPath path(String where, String text, boolean changesBody) {
    try {
      JsonPath path = JsonPath.parse(text.trim());
      if (changesBody && path.firstKey().equals("stream")) {
        problems.error(where, "a rule cannot change 'stream': whether the upstream streams follows the client's "
            + "request, and the gateway reads the answer accordingly");
        return null;
      }
      return path;
    } catch (IllegalArgumentException e) {
      problems.error(where, "is not a JSON path the gateway can read: " + e.getMessage());
      return null;
    }
  }
}
