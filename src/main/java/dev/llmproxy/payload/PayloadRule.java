package dev.llmproxy.payload;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One entry of {@code payload.default}, {@code default-raw}, {@code override}, {@code override-raw} or {@code
 * filter}: where it applies ({@link #targets}, any of them) and what it sets or removes ({@link #params}). Immutable.
 *
 * @param yamlPath where the rule is written ({@code payload.override[0]}), for the logs
 */
public record PayloadRule(String yamlPath, List<Target> targets, List<Param> params) {
  /** The only protocol this gateway sends upstream: every provider is an {@code openai-compatibility} entry. */
  public static final String UPSTREAM_PROTOCOL = "openai";

  public PayloadRule {
    targets = List.copyOf(targets);
    params = List.copyOf(params);
  }

  /**
   * One entry of a rule's {@code models}: every condition it states must hold.
   *
   * @param model a model name, {@code *} standing for any text, matched without regard to case (kept lower-cased)
   * @param protocol the upstream protocol, or empty for any; only {@code openai} ever matches here
   * @param fromProtocol the client's dialect ({@code openai}, {@code responses}, {@code claude}, {@code gemini}), or
   *     empty for any
   * @param headers client headers that must be sent with a value matching the pattern ({@code *} for any text)
   * @param conditions what the body must hold
   */
  public record Target(String model, String protocol, String fromProtocol, Map<String, String> headers,
      List<Condition> conditions) {
    public Target {
      model = model.toLowerCase(Locale.ROOT);
      headers = Map.copyOf(headers);
      conditions = List.copyOf(conditions);
    }

    /** Whether everything but the body admits {@code request}: cheap, asked before the body is read. */
    boolean admits(PayloadRequest request) {
      if (!protocol.isEmpty() && !protocol.equalsIgnoreCase(UPSTREAM_PROTOCOL)) {
        return false;
      }
      if (!fromProtocol.isEmpty() && !fromProtocol.equalsIgnoreCase(request.fromProtocol())) {
        return false;
      }
      for (Map.Entry<String, String> header : headers.entrySet()) {
        String value = request.header().apply(header.getKey());
        if (value == null || !Glob.matches(header.getValue(), value)) {
          return false;
        }
      }
      return request.models().stream().anyMatch(m -> Glob.matches(model, m));
    }

    boolean holdsFor(JsonNode body) {
      return conditions.stream().allMatch(c -> c.holdsFor(body));
    }
  }

  /**
   * One of a target's {@code match} ({@code wanted}, with a value), {@code not-match}, {@code exist} ({@code wanted},
   * no value) or {@code not-exist} entries.
   *
   * @param value what the path must (or must not) hold; {@code null} to ask whether it is there and not null
   */
  public record Condition(JsonPath path, JsonNode value, boolean wanted) {
    boolean holdsFor(JsonNode body) {
      boolean found = path.locate(body).stream().map(l -> JsonPath.get(body, l)).anyMatch(v -> v != null
          && (value == null ? !v.isNull() : PathQuery.sameValue(v, value)));
      return found == wanted;
    }
  }

  /** One of {@code params}: a path and the value it gets; {@code null} for a filter's path, which is removed. */
  public record Param(JsonPath path, JsonNode value) {}

  /** Whether some target admits {@code request} (see {@link Target#admits}). */
  boolean admits(PayloadRequest request) {
    return targets.stream().anyMatch(t -> t.admits(request));
  }

  /** Whether some target admits {@code request} and its conditions hold for {@code body}. */
  boolean appliesTo(PayloadRequest request, JsonNode body) {
    return targets.stream().anyMatch(t -> t.admits(request) && t.holdsFor(body));
  }
}
