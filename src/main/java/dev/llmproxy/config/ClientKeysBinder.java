package dev.llmproxy.config;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Binds the client side of the config: {@code api-keys} (strings, or objects with {@code key}/{@code key-sha256},
 * {@code name} and limits) and {@code user-limits} (limits of signed-in users, by user or role). Part of
 * {@link ConfigBinder}; shares its problem list.
 */
final class ClientKeysBinder {
  static final String API_KEYS = "api-keys";
  static final String USER_LIMITS = "user-limits";
  /** Names show in logs and usage records ({@code key team-a}) and address keys in management URLs. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._@+-]{0,63}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

  private final ConfigProblems problems;

  ClientKeysBinder(ConfigProblems problems) {
    this.problems = problems;
  }

  /** Identical plain strings count once (as before objects existed); any other repeated key is an error. */
  List<ClientKeyConfig> apiKeys(YamlMapReader root) {
    Object value = root.raw(API_KEYS);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> items)) {
      problems.error(API_KEYS, "expected a list but found " + YamlMapReader.describe(value));
      return List.of();
    }
    List<ClientKeyConfig> out = new ArrayList<>();
    List<Integer> indices = new ArrayList<>();
    Map<String, Integer> indexByHash = new HashMap<>();
    Map<String, Integer> indexByName = new HashMap<>();
    Map<String, Boolean> plainByHash = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      Object item = items.get(i);
      String path = API_KEYS + "[" + i + "]";
      boolean plain = !(item instanceof Map);
      ClientKeyConfig entry = entry(path, item);
      if (entry == null) {
        continue;
      }
      Integer previous = indexByHash.putIfAbsent(entry.sha256(), i);
      if (previous != null) {
        if (!(plain && plainByHash.get(entry.sha256()))) {
          problems.error(path, "is the same key as " + API_KEYS + "[" + previous + "]");
        }
        continue;
      }
      plainByHash.put(entry.sha256(), plain);
      if (!entry.name().isEmpty()) {
        Integer named = indexByName.putIfAbsent(entry.name().toLowerCase(Locale.ROOT), i);
        if (named != null) {
          problems.error(path + ".name", "'" + entry.name() + "' is already the name of " + API_KEYS + "[" + named
              + "]; names must be unique");
        }
      }
      out.add(entry);
      indices.add(i);
    }
    return withDistinctLabels(out, indices);
  }

  /**
   * {@code entries} with labels no two share. Logs, usage records and the monthly restore of budgets know a client by
   * its label, so two unnamed keys masked alike ({@code plai...0001}) would share one history and one budget. An
   * unnamed key whose mask a name or an earlier key shows already is known by its hash instead ({@code sha256:...}),
   * with a warning; the first keeps its mask, so its history goes on.
   */
  private List<ClientKeyConfig> withDistinctLabels(List<ClientKeyConfig> entries, List<Integer> indices) {
    Map<String, Integer> labelled = new HashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      if (!entries.get(i).name().isEmpty()) {
        labelled.put(entries.get(i).label().toLowerCase(Locale.ROOT), indices.get(i));
      }
    }
    List<ClientKeyConfig> out = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      ClientKeyConfig entry = entries.get(i);
      if (!entry.name().isEmpty()) {
        out.add(entry);
        continue;
      }
      Integer other = labelled.putIfAbsent(entry.label().toLowerCase(Locale.ROOT), indices.get(i));
      if (other == null) {
        out.add(entry);
        continue;
      }
      ClientKeyConfig byHash = new ClientKeyConfig("", entry.sha256(), "", entry.limits());
      problems.warning(API_KEYS + "[" + indices.get(i) + "]", "masked it shows as '" + entry.label() + "', as "
          + API_KEYS + "[" + other + "] does; logs and usage name it " + byHash.label() + " instead (give it a name "
          + "to choose one)");
      out.add(byHash);
    }
    return out;
  }

  private ClientKeyConfig entry(String path, Object item) {
    if (item instanceof String || item instanceof Number || item instanceof Boolean) {
      String key = String.valueOf(item).trim();
      return key.isEmpty() ? null : ClientKeyConfig.plain(key);
    }
    if (item instanceof Map) {
      return object(YamlMapReader.of(path, item, problems));
    }
    if (item != null) {
      problems.error(path, "expected a key (a string) or a mapping with key or key-sha256 but found "
          + YamlMapReader.describe(item));
    }
    return null;
  }

  private ClientKeyConfig object(YamlMapReader r) {
    String key = r.string("key", "");
    String hash = r.string("key-sha256", "");
    String name = r.string("name", "");
    LimitsConfig limits = limits(r, true);
    r.finish(Set.of());
    if (!name.isEmpty() && !NAME.matcher(name).matches()) {
      problems.error(r.childPath("name"), "'" + name + "' is not a valid name; use up to 64 letters, digits, spaces "
          + "and . _ @ + -, starting with a letter or digit");
    }
    if (!key.isEmpty() && !hash.isEmpty()) {
      problems.error(r.childPath("key-sha256"), "set key or key-sha256, not both");
      return null;
    }
    if (!hash.isEmpty()) {
      if (!SHA256.matcher(hash).matches()) {
        problems.error(r.childPath("key-sha256"), "expected 64 hexadecimal digits (the SHA-256 of the key, as "
            + "printed by: printf %s \"$KEY\" | sha256sum)");
        return null;
      }
      return new ClientKeyConfig("", hash.toLowerCase(Locale.ROOT), name, limits);
    }
    if (key.isEmpty()) {
      problems.error(r.path(), "needs key (the key in clear) or key-sha256 (its hex SHA-256)");
      return null;
    }
    return new ClientKeyConfig(key, ClientKeyConfig.sha256Hex(key), name, limits);
  }

  /** {@code user-limits}: each entry names a {@code user} or a {@code role}, once. */
  List<UserLimitsConfig> userLimits(YamlMapReader root, ClientAuthConfig clientAuth) {
    Map<String, Integer> seen = new HashMap<>();
    List<UserLimitsConfig> out = root.objectList(USER_LIMITS, (r, i) -> {
      String user = r.string("user", "");
      String role = r.string("role", "");
      LimitsConfig limits = limits(r, false);
      r.finish(Set.of());
      if (user.isEmpty() == role.isEmpty()) {
        problems.error(r.path(), "needs either user (a user name) or role (a container role), not both");
        return null;
      }
      String who = user.isEmpty() ? "role " + role : "user " + user;
      Integer previous = seen.putIfAbsent(who, i);
      if (previous != null) {
        problems.error(r.path(), who + " already has limits at " + USER_LIMITS + "[" + previous + "]");
      }
      return new UserLimitsConfig(user, role, limits);
    });
    if (!out.isEmpty() && !clientAuth.acceptsContainerPrincipal()) {
      problems.warning(USER_LIMITS, "has no effect while client-auth is api-key");
    }
    return out;
  }

  /** The limit fields; {@code lifecycle} adds {@code expires} and {@code disabled} (keys only). */
  private LimitsConfig limits(YamlMapReader r, boolean lifecycle) {
    List<String> models = r.stringList("models").stream().map(m -> m.toLowerCase(Locale.ROOT)).toList();
    Integer rpm = r.optionalInteger("rpm", 1, 100_000_000);
    Long tpm = r.optionalLong("tpm", 1);
    Long maxTokens = r.optionalLong("max-tokens-per-month", 1);
    BigDecimal maxCost = r.optionalDecimal("max-cost-per-month");
    Integer parallel = r.optionalInteger("max-parallel-requests", 1, 1_000_000);
    Instant expires = lifecycle ? expires(r) : null;
    boolean disabled = lifecycle && r.bool("disabled", false);
    if (r.has("models") && models.isEmpty()) {
      problems.error(r.childPath("models"), "is empty, which would allow no model; leave it out to allow every model");
    }
    return new LimitsConfig(models, rpm, tpm, maxTokens, maxCost, expires, disabled, parallel);
  }

  /** A date ({@code 2026-07-01}: 00:00 UTC that day) or an ISO instant with offset. */
  private Instant expires(YamlMapReader r) {
    Object v = r.raw("expires");
    if (v == null) {
      return null;
    }
    if (v instanceof Date date) {
      // SnakeYAML reads an unquoted date or timestamp as a Date (UTC when no offset is given).
      return date.toInstant();
    }
    if (v instanceof String s) {
      String text = s.trim();
      try {
        return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
            : OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e) {
        // reported below
      }
    }
    problems.error(r.childPath("expires"), YamlMapReader.describe(v) + " is not a date; expected a date such as "
        + "2026-07-01 (the key stops working at 00:00 UTC that day) or a time such as 2026-07-01T12:00:00Z");
    return null;
  }

  /** Cost limits count nothing for models without a price: say which rows those are. */
  void warnUnpricedModels(List<ClientKeyConfig> keys, List<UserLimitsConfig> users, List<ProviderConfig> providers) {
    boolean costLimited = keys.stream().anyMatch(k -> k.limits().maxCostPerMonth() != null)
        || users.stream().anyMatch(u -> u.limits().maxCostPerMonth() != null);
    if (!costLimited) {
      return;
    }
    for (int p = 0; p < providers.size(); p++) {
      ProviderConfig provider = providers.get(p);
      for (int m = 0; m < provider.models().size(); m++) {
        if (!provider.disabled() && provider.models().get(m).price() == null) {
          problems.warning("openai-compatibility[" + p + "].models[" + m + "]", "has no price, so the requests it "
              + "serves add nothing to max-cost-per-month");
        }
      }
    }
  }
}
