package dev.llmproxy.config;

import java.math.BigDecimal;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Binds one {@code openai-compatibility[]} entry (and its keys and models) with YAML paths in every
 * problem. Part of {@link ConfigBinder}; shares its problem list.
 */
final class ProviderBinder {
  static final Set<String> UNIMPLEMENTED_PROVIDER_KEYS = Set.of(
      "support-prompt-cache-key", "auth-index");
  static final Set<String> UNIMPLEMENTED_MODEL_KEYS = Set.of(
      "display-name", "max-context-length", "image", "input-modalities",
      "output-modalities", "is-compat", "thinking");

  private final ConfigProblems problems;

  /**
   * Client headers that carry a key or session (lower case): never copied with a {@code $Name} value. Every
   * header the gateway itself reads a secret from is here (client keys, the management key), and the
   * usual credential names of other services besides.
   */
  private static final Set<String> CLIENT_CREDENTIAL_HEADERS = Set.of("authorization", "x-api-key",
      "x-goog-api-key", "x-management-key", "api-key", "proxy-authorization", "cookie");

  ProviderBinder(ConfigProblems problems) {
    this.problems = problems;
  }

  ProviderConfig provider(YamlMapReader r, int index) {
    String name = printableName(r, "name");
    if (name.isEmpty()) {
      problems.error(r.childPath("name"), "is required");
    }
    boolean disabled = r.bool("disabled", false);
    String prefix = prefix(r);
    String baseUrl = baseUrl(r);
    Map<String, String> headers = headers(r);
    List<ApiKeyEntry> keys = r.objectList("api-key-entries", (k, i) -> apiKeyEntry(k));
    refuseAuthorizationBesideKeys(r, headers, keys);
    List<ModelMapping> models = r.objectList("models", (m, i) -> model(m));
    List<String> excluded = r.stringList("excluded-models").stream()
        .map(s -> s.toLowerCase(Locale.ROOT)).toList();
    Integer requestRetry = r.optionalInteger("request-retry", 0, 100);
    Boolean disableCooling = r.optionalBool("disable-cooling");
    Boolean discoverModels = r.optionalBool("discover-models");
    List<ErrorRule> errorRules = r.objectList("request-scoped-errors", (e, i) -> errorRule(e));
    int priority = r.integer("priority", 0, -1_000_000, 1_000_000);
    ProviderConfig.ResponsesApi responsesApi = r.enumValue("responses-api", ProviderConfig.ResponsesApi.class,
        ProviderConfig.ResponsesApi.TRANSLATE, Map.of());
    r.finish(UNIMPLEMENTED_PROVIDER_KEYS);
    return new ProviderConfig(name, disabled, prefix, baseUrl, headers, keys, models, excluded,
        requestRetry, disableCooling, discoverModels, errorRules, priority, responsesApi);
  }

  /**
   * A static {@code Authorization} header is set after the key's {@code Bearer}, so it would silently replace every
   * key in api-key-entries (their rotation and cooldowns then act on a credential never sent). Without any
   * api-key-entries it is the provider's only credential, as CLIProxyAPI files use it, and stays allowed.
   */
  private void refuseAuthorizationBesideKeys(YamlMapReader r, Map<String, String> headers, List<ApiKeyEntry> keys) {
    if (keys.isEmpty()) {
      return;
    }
    headers.keySet().stream().filter(name -> name.equalsIgnoreCase("authorization")).forEach(name ->
        problems.error(r.childPath("headers") + "." + name, "would replace the api-key of every entry in "
            + "api-key-entries upstream; put the credential in api-key-entries (or remove api-key-entries to "
            + "make this header the provider's only credential)"));
  }

  /**
   * The provider's extra headers. A value {@code $Name} copies the client's header {@code Name}, which must not be
   * one that carries the client's key or session: client keys never go upstream.
   */
  private Map<String, String> headers(YamlMapReader r) {
    Map<String, String> headers = r.stringMap("headers");
    headers.forEach((name, value) -> {
      if (!isHeaderName(name)) {
        problems.error(r.childPath("headers") + "." + name, "is not a header name (letters, digits and "
            + "!#$%&'*+-.^_`|~ only)");
      } else if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
        // HttpClient would send it with the line break turned into a space, or refuse the request at run time.
        problems.error(r.childPath("headers") + "." + name, "holds a line break or NUL, which no header value may");
      } else if (value.startsWith("$") && CLIENT_CREDENTIAL_HEADERS.contains(value.substring(1).toLowerCase(Locale.ROOT))) {
        problems.error(r.childPath("headers") + "." + name, "'" + value + "' would copy the client's credentials "
            + "upstream, and client keys never go upstream; give the provider its key in api-key-entries");
      }
    });
    return headers;
  }

  /** An HTTP token (RFC 9110 5.6.2): what a field name may be. */
  private static boolean isHeaderName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean token = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!token) {
        return false;
      }
    }
    return true;
  }

  private ErrorRule errorRule(YamlMapReader r) {
    Integer status = r.optionalInteger("status", 100, 599);
    List<String> match = r.stringList("match");
    List<Pattern> matchRegex = r.patternList("match-regexr");
    ErrorAction action = null;
    if (!r.has("action")) {
      problems.error(r.childPath("action"), "is required; expected one of stop, stop-and-cooldown, continue, "
          + "continue-and-cooldown");
    } else {
      action = r.enumValue("action", ErrorAction.class, null, Map.of());
    }
    r.finish(Set.of());
    return action == null ? null : new ErrorRule(status, match, matchRegex, action);
  }

  /**
   * The string at {@code key}, refused when it holds a control character: names go into log lines, metrics labels
   * and URLs, where a line break in one would forge a log line of its own.
   */
  private String printableName(YamlMapReader r, String key) {
    String value = r.string(key, "");
    if (value.chars().anyMatch(Character::isISOControl)) {
      problems.error(r.childPath(key), "'" + value.replaceAll("\\p{Cntrl}", "?")
          + "' holds a control character (a line break, tab or the like); use printable characters only");
    }
    return value;
  }

  private String prefix(YamlMapReader r) {
    String prefix = printableName(r, "prefix");
    String stripped = prefix.replaceAll("^/+|/+$", "");
    if (stripped.contains("/")) {
      problems.error(r.childPath("prefix"), "'" + prefix + "' must not contain '/' inside it");
    }
    return stripped;
  }

  private String baseUrl(YamlMapReader r) {
    String raw = r.string("base-url", "");
    if (raw.isEmpty()) {
      problems.error(r.childPath("base-url"), "is required");
      return "";
    }
    try {
      URI uri = URI.create(raw);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        problems.error(r.childPath("base-url"), "'" + printable(raw) + "' must start with http:// or https://");
      } else if (uri.getHost() == null) {
        problems.error(r.childPath("base-url"), "'" + printable(raw) + "' has no host");
      } else if (uri.getRawUserInfo() != null) {
        problems.error(r.childPath("base-url"), "'" + printable(raw) + "' must not carry credentials "
            + "(user:password@); put the key in api-key-entries, or a header in headers");
      } else if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
        // Paths such as /chat/completions are appended to it, so a query would be lost (or end up in the path);
        // and a query is where keys hide, which the management API would show unmasked. Not echoed.
        problems.error(r.childPath("base-url"), "'" + printable(raw) + "' must not have a query or fragment: "
            + "the gateway appends paths such as /chat/completions to it; put a key in api-key-entries, other "
            + "values in headers");
      }
    } catch (IllegalArgumentException e) {
      problems.error(r.childPath("base-url"), "'" + printable(raw) + "' is not a valid URL");
    }
    return raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
  }

  /** {@code raw} as a problem may show it: no password, and {@code ?...} for a query or fragment, where keys hide. */
  private static String printable(String raw) {
    int cut = raw.length();
    for (char c : new char[] {'?', '#'}) {
      int at = raw.indexOf(c);
      if (at >= 0 && at < cut) {
        cut = at;
      }
    }
    return OutboundProxy.redact(raw.substring(0, cut)) + (cut < raw.length() ? "?..." : "");
  }

  private ApiKeyEntry apiKeyEntry(YamlMapReader r) {
    String key = r.string("api-key", "");
    OutboundProxy proxy = proxy(r, "proxy-url");
    int weight = r.integer("weight", 1, 0, 1_000_000);
    r.finish(Set.of("auth-index"));
    return new ApiKeyEntry(key, proxy, weight);
  }

  private ModelMapping model(YamlMapReader r) {
    String name = printableName(r, "name");
    String alias = printableName(r, "alias");
    if (name.isEmpty()) {
      problems.error(r.childPath("name"), "is required");
    }
    boolean forceMapping = r.bool("force-mapping", false);
    Integer maxTokens = r.has("max-tokens") ? r.integer("max-tokens", 0, 1, 10_000_000) : null;
    ModelPrice price = r.has("price") ? price(r.child("price")) : null;
    r.finish(UNIMPLEMENTED_MODEL_KEYS);
    return new ModelMapping(name, alias.isEmpty() ? name : alias, forceMapping, maxTokens, price);
  }

  /** {@code price: {input, output}}: USD per million tokens, both required. */
  private ModelPrice price(YamlMapReader r) {
    BigDecimal input = r.optionalDecimal("input");
    BigDecimal output = r.optionalDecimal("output");
    for (String side : List.of("input", "output")) {
      if (!r.has(side)) {
        problems.error(r.childPath(side), "is required: US dollars per million " + (side.equals("input")
            ? "prompt" : "completion") + " tokens");
      }
    }
    r.finish(Set.of());
    return input == null || output == null ? null : new ModelPrice(input, output);
  }

  /** A {@code proxy-url} value, or {@code null} to inherit (also used for the global key). */
  OutboundProxy proxy(YamlMapReader r, String key) {
    String value = r.string(key, "");
    try {
      return OutboundProxy.parse(value);
    } catch (IllegalArgumentException e) {
      problems.error(r.childPath(key), e.getMessage());
      return null;
    }
  }

  /** Provider names are unique, ignoring case (management and logs address providers by name). */
  void checkNames(List<ProviderConfig> providers) {
    Map<String, Integer> firstIndex = new HashMap<>();
    for (int i = 0; i < providers.size(); i++) {
      String name = providers.get(i).name();
      if (name.isEmpty()) {
        continue;
      }
      Integer previous = firstIndex.putIfAbsent(name.toLowerCase(Locale.ROOT), i);
      if (previous != null) {
        problems.error("openai-compatibility[" + i + "].name",
            "'" + name + "' is already used by openai-compatibility[" + previous + "]; provider names must be unique");
      }
    }
  }
}
