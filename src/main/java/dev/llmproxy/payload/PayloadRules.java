package dev.llmproxy.payload;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The {@code payload} section: rules that change the body sent upstream, by model, client dialect, client header
 * and what the body holds, as CLIProxyAPI applies them, after the gateway's own changes (the model, {@code
 * stream_options}) and the translation of the client's dialect. In order: defaults set what the body lacks (the
 * first rule to set a path wins, {@code default} before {@code default-raw}), overrides set whatever is there (the
 * last wins, {@code override} before {@code override-raw}), filters remove. Immutable and thread-safe.
 *
 * @param defaults {@code default} then {@code default-raw}
 * @param overrides {@code override} then {@code override-raw}
 * @param filters {@code filter}; their params carry no value
 */
public record PayloadRules(List<PayloadRule> defaults, List<PayloadRule> overrides, List<PayloadRule> filters) {
  public static final PayloadRules NONE = new PayloadRules(List.of(), List.of(), List.of());

  public PayloadRules {
    defaults = List.copyOf(defaults);
    overrides = List.copyOf(overrides);
    filters = List.copyOf(filters);
  }

  public boolean isEmpty() {
    return defaults.isEmpty() && overrides.isEmpty() && filters.isEmpty();
  }

  /** The client headers some rule asks about, as each rule writes them (it looks them up so). */
  public Set<String> headerNames() {
    Set<String> names = new LinkedHashSet<>();
    all().flatMap(r -> r.targets().stream()).forEach(t -> names.addAll(t.headers().keySet()));
    return names;
  }

  /** Whether some rule might change {@code request}'s body: what can be told without reading it. */
  public boolean mayApply(PayloadRequest request) {
    return all().anyMatch(r -> r.admits(request));
  }

  /**
   * Applies every rule that applies to {@code request}, each judged on the body as the rules before it left it.
   *
   * @return whether {@code body} changed
   */
  public boolean apply(ObjectNode body, PayloadRequest request) {
    boolean changed = false;
    for (PayloadRule rule : defaults) {
      if (rule.appliesTo(request, body)) {
        for (PayloadRule.Param param : rule.params()) {
          for (JsonPath.Location location : param.path().locate(body)) {
            if (JsonPath.get(body, location) == null) {
              changed |= JsonPath.set(body, location, param.value());
            }
          }
        }
      }
    }
    for (PayloadRule rule : overrides) {
      if (rule.appliesTo(request, body)) {
        for (PayloadRule.Param param : rule.params()) {
          for (JsonPath.Location location : param.path().locate(body)) {
            changed |= JsonPath.set(body, location, param.value());
          }
        }
      }
    }
    for (PayloadRule rule : filters) {
      if (rule.appliesTo(request, body)) {
        for (PayloadRule.Param param : rule.params()) {
          List<JsonPath.Location> locations = param.path().locate(body);
          // Last first: removing an array element moves the ones after it.
          for (int i = locations.size() - 1; i >= 0; i--) {
            changed |= JsonPath.delete(body, locations.get(i));
          }
        }
      }
    }
    return changed;
  }

  private Stream<PayloadRule> all() {
    return Stream.of(defaults, overrides, filters).flatMap(List::stream);
  }
}
