package dev.llmproxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.testing.CommentedYaml;
import dev.llmproxy.testing.SelfSignedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private final ConfigLoader loader = new ConfigLoader(Map.of("OR_KEY", "sk-or-v1-from-env", "DB_PASSWORD",
      "db-secret")::get);

  private static String fixture(String name) throws IOException {
    try (InputStream in = ConfigLoaderTest.class.getResourceAsStream("/config/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private GatewayConfig load(String name) throws Exception {
    return loader.parse(fixture(name), name);
  }

  private ConfigException failure(String name) {
    return assertThrows(ConfigException.class, () -> load(name));
  }

  @Test
  void bindsEveryKeyOfAFullFile() throws Exception {
    GatewayConfig c = load("valid-full.yaml");
    assertEquals(List.of("team-key-1", "team-key-2"), c.apiKeys().stream().map(ClientKeyConfig::key).toList(),
        "duplicates dropped, order kept");
    assertTrue(c.debug());
    assertEquals(OutboundProxy.Kind.SOCKS5, c.proxy().kind());
    assertEquals("secret", c.proxy().password());
    assertEquals(3, c.requestRetry());
    assertEquals(2, c.maxRetryCredentials());
    assertEquals(Duration.ofSeconds(30), c.maxRetryInterval());
    assertEquals(Duration.ofSeconds(5), c.transientErrorCooldown());
    assertTrue(c.forceModelPrefix());
    assertEquals(1024 * 1024, c.maxRequestBodyBytes());
    assertEquals(RoutingConfig.Strategy.WEIGHTED_ROUND_ROBIN, c.routing().strategy());
    assertEquals(RoutingConfig.PoolStrategy.ORDERED, c.routing().poolStrategy());
    assertEquals(new StreamingConfig(15, 1), c.streaming());
    assertEquals(Duration.ofSeconds(2), c.upstream().connectTimeout());
    assertEquals(Duration.ofMillis(500), c.upstream().readTimeout());
    assertEquals("s3cret", c.remoteManagement().secretKey());
    assertTrue(c.remoteManagement().allowRemote());

    ProviderConfig p = c.providers().get(0);
    assertEquals("or", p.prefix(), "slashes around the prefix are stripped");
    assertEquals("https://openrouter.ai/api/v1", p.baseUrl(), "trailing slash removed");
    assertEquals(List.of("HTTP-Referer", "X-Title", "X-User"), List.copyOf(p.headers().keySet()));
    assertEquals("sk-or-v1-from-env", p.apiKeyEntries().get(0).apiKey(), "${ENV} substituted");
    assertNull(p.apiKeyEntries().get(0).proxy(), "no proxy-url inherits the global one");
    assertEquals(OutboundProxy.Kind.SOCKS5, c.effectiveProxy(p.apiKeyEntries().get(0)).kind());
    assertEquals(OutboundProxy.Kind.HTTP, p.apiKeyEntries().get(1).proxy().kind());
    assertEquals(3, p.apiKeyEntries().get(1).weight());
    assertTrue(c.effectiveProxy(p.apiKeyEntries().get(2)).isDirect(), "direct overrides the global proxy");
    assertEquals(new ModelMapping("plain-model", "plain-model"), p.models().get(1), "no alias: the name is the id");
    assertEquals(List.of("gpt-4-*", "*-vision"), p.excludedModels());
    assertEquals(0, p.requestRetry());
    assertEquals(Boolean.TRUE, p.disableCooling());
    assertEquals(ProviderConfig.ResponsesApi.NATIVE, p.responsesApi());
  }

  @Test
  void theShippedExampleLoadsWithoutProblems() throws Exception {
    Path example = Path.of("conf", "config.yaml");
    GatewayConfig c = loader.parse(Files.readString(example), example.toString());
    assertEquals(List.of(), c.warnings());
    assertEquals("openrouter", c.providers().get(0).name());
    assertEquals(ProviderConfig.ResponsesApi.TRANSLATE, c.providers().get(0).responsesApi(), "the default");
  }

  @Test
  void bindsUsageAndMetricsWithoutPrintingTheirSecrets() throws Exception {
    GatewayConfig c = load("usage-metrics-valid.yaml");
    assertEquals(new UsageConfig(UsageConfig.Store.JDBC,
        "jdbc:postgresql://db.internal:5432/llmproxy?ssl=true&password=inline", "llmproxy", "db-secret", "", 5000),
        c.usage());
    assertEquals(new MetricsConfig("scraper-token-0123456789", true), c.metrics());
    String printed = c.usage() + " " + c.metrics();
    assertFalse(printed.contains("db-secret") || printed.contains("inline") || printed.contains("scraper-token"),
        printed);
    assertEquals("jdbc:postgresql://db.internal:5432/llmproxy", c.usage().printableJdbcUrl());
  }

  @Test
  void usageAndMetricsProblemsNameTheirPaths() {
    assertEquals("""
        usage-metrics-bad.yaml has the following errors:
          * usage.queue-capacity: 10 is out of range; expected 100 to 10000000
          * usage.store: jdbc needs exactly one of usage.jdbc-url and usage.datasource
          * usage.jdbc-url: 'postgresql://db.internal/llmproxy' is not a JDBC URL; expected jdbc:postgresql://host:5432/database or another jdbc: URL
          * usage.batch-size: unknown key
          * metrics.jmx: expected true or false but found 'sometimes'
          * metrics.token: must differ from every api-keys entry and from remote-management.secret-key (it grants /metrics and nothing else)""",
        failure("usage-metrics-bad.yaml").getMessage());
  }

  @Test
  void usageDatabaseKeysWithoutJdbcAreWarnings() throws Exception {
    GatewayConfig c = load("usage-ineffective.yaml");
    assertEquals(List.of("usage.jdbc-url: has no effect while usage.store is memory"), c.warnings());
    assertEquals(UsageConfig.Store.MEMORY, c.usage().store());
    assertEquals(UsageConfig.DEFAULT, loader.parse("", "empty.yaml").usage(), "embedded by default");
  }

  @Test
  void theShippedExampleDocumentsEachKeyOnceAndOnlyKeysThatExist() throws Exception {
    String uncommented = CommentedYaml.uncommentTopLevelBlocks(Files.readString(Path.of("conf", "config.yaml")));

    GatewayConfig c = loader.parse(uncommented, "uncommented");

    assertEquals(List.of("remote-management.role: has no effect while remote-management.auth is key",
        "client-role: has no effect while client-auth is api-key",
        "user-limits: has no effect while client-auth is api-key",
        "openai-compatibility[0].models[0]: has no price, so the requests it serves add nothing to max-cost-per-month"),
        c.warnings());
  }

  @Test
  void providerHeadersMustBeHeaders() {
    String text = """
        openai-compatibility:
          - name: p
            base-url: https://api.example.com/v1
            api-key-entries: [{api-key: sk-1}]
            headers:
              "X-Ok\\r\\nInj": a
              X-Value: "a\\r\\nX-Forged: b"
        """;

    ConfigException e = assertThrows(ConfigException.class, () -> loader.parse(text, "headers.yaml"));

    assertEquals(List.of(
        "openai-compatibility[0].headers.X-Ok\r\nInj: is not a header name (letters, digits and !#$%&'*+-.^_`|~ only)",
        "openai-compatibility[0].headers.X-Value: holds a line break or NUL, which no header value may"), e.problems());
  }

  @Test
  void aLineLongerThan64KiBIsRefusedBeforeParsing() {
    String text = "debug: true\n# " + "lorem ipsum ".repeat(6000) + "\nrequest-retry: 1\n";

    ConfigException e = assertThrows(ConfigException.class, () -> loader.parse(text, "long.yaml"));

    assertEquals(List.of("line 2 has 72002 characters; lines of at most 65536 are accepted"), e.problems());
  }

  @Test
  void aDocumentLargerThan1MiBIsRefusedBeforeParsing() {
    String text = ("# " + "x".repeat(1000) + "\n").repeat(1100);

    ConfigException e = assertThrows(ConfigException.class, () -> loader.parse(text, "big.yaml"));

    assertEquals(List.of("the document has 1103300 characters; at most 1048576 are accepted"), e.problems());
  }

  @Test
  void nestingDeeperThan20LevelsIsRefused() {
    String text = "payload: " + "[".repeat(25) + "]".repeat(25) + "\n";

    ConfigException e = assertThrows(ConfigException.class, () -> loader.parse(text, "deep.yaml"));

    assertTrue(e.problems().get(0).startsWith("invalid YAML: Nesting Depth exceeded max 20"), e.getMessage());
  }

  @Test
  void anAuthorizationHeaderBesideApiKeyEntriesIsRefusedNamingItsPath() {
    ConfigException e = assertThrows(ConfigException.class, () -> loader.parse("""
        openai-compatibility:
          - name: keyed
            base-url: "https://api.example.com/v1"
            headers: {X-Title: "gateway", authorization: "Bearer sk-static-0123456789"}
            api-key-entries:
              - api-key: "sk-rotating-0123456789"
        """, "auth.yaml"));

    assertEquals(List.of("openai-compatibility[0].headers.authorization: would replace the api-key of every entry "
        + "in api-key-entries upstream; put the credential in api-key-entries (or remove api-key-entries to make "
        + "this header the provider's only credential)"), e.problems());
  }

  @Test
  void anAuthorizationHeaderIsAllowedAsTheOnlyCredential() throws ConfigException {
    GatewayConfig config = loader.parse("""
        openai-compatibility:
          - name: header-only
            base-url: "https://api.example.com/v1"
            headers: {Authorization: "Bearer sk-static-0123456789"}
        """, "auth.yaml");

    assertEquals("Bearer sk-static-0123456789", config.providers().get(0).headers().get("Authorization"));
  }

  @Test
  void aHeaderThatWouldCopyTheClientsCredentialsUpstreamIsRefused() {
    ConfigException e = assertThrows(ConfigException.class, () -> loader.parse("""
        openai-compatibility:
          - name: copier
            base-url: "https://api.example.com/v1"
            headers: {X-Client-Auth: "$Authorization", X-Key: "$x-api-key", X-Steal: "$X-Management-Key",
                      X-Trace: "$X-Request-Id"}
        """, "copy.yaml"));

    assertEquals(List.of(
        "openai-compatibility[0].headers.X-Client-Auth: '$Authorization' would copy the client's credentials "
            + "upstream, and client keys never go upstream; give the provider its key in api-key-entries",
        "openai-compatibility[0].headers.X-Key: '$x-api-key' would copy the client's credentials upstream, and "
            + "client keys never go upstream; give the provider its key in api-key-entries",
        "openai-compatibility[0].headers.X-Steal: '$X-Management-Key' would copy the client's credentials upstream, "
            + "and client keys never go upstream; give the provider its key in api-key-entries"), e.problems());
  }

  @Test
  void aBaseUrlWithAQueryOrFragmentIsRefusedWithoutEchoingIt() {
    ConfigException e = assertThrows(ConfigException.class, () -> loader.parse("""
        openai-compatibility:
          - name: query
            base-url: "https://api.example.com/v1?key=secret-in-url"
          - name: fragment
            base-url: "https://api.example.com/v1#part"
        """, "query.yaml"));

    assertEquals(List.of(
        "openai-compatibility[0].base-url: 'https://api.example.com/v1?...' must not have a query or fragment: the "
            + "gateway appends paths such as /chat/completions to it; put a key in api-key-entries, other values in "
            + "headers",
        "openai-compatibility[1].base-url: 'https://api.example.com/v1?...' must not have a query or fragment: the "
            + "gateway appends paths such as /chat/completions to it; put a key in api-key-entries, other values in "
            + "headers"), e.problems());
  }

  @Test
  void aProviderOrModelNameWithALineBreakIsRefusedWithoutPrintingIt() {
    ConfigException e = assertThrows(ConfigException.class, () -> loader.parse("""
        openai-compatibility:
          - name: "evil\\nremote-management:"
            prefix: "p\\tq"
            base-url: "https://api.example.com/v1"
            models: [{name: "m\\r1", alias: "ok"}]
        """, "names.yaml"));

    String rest = "' holds a control character (a line break, tab or the like); use printable characters only";
    assertEquals(List.of("openai-compatibility[0].name: 'evil?remote-management:" + rest,
        "openai-compatibility[0].prefix: 'p?q" + rest,
        "openai-compatibility[0].models[0].name: 'm?1" + rest), e.problems());
  }

  @Test
  void credentialsInABaseUrlAndBlockedUpstreamAddressesAreRefusedAtLoad() {
    ConfigException e = assertThrows(ConfigException.class, () -> loader.parse("""
        proxy-url: "http://169.254.169.254:3128"
        openai-compatibility:
          - name: creds
            base-url: "https://user:s3cret@api.example.com/v1?key=q-secret"
          - name: metadata
            base-url: "http://169.254.169.254/latest"
          - name: gcp
            base-url: "http://metadata.google.internal/computeMetadata/v1"
          - name: ec2v6
            base-url: "http://[fd00:ec2::254]/latest"
            api-key-entries:
              - api-key: k
                proxy-url: "socks5://metadata.goog:1080"
          - name: local
            base-url: "http://127.0.0.1:8000/v1"
          - name: decimal
            base-url: "http://2852039166/latest"
        """, "ssrf.yaml"));

    assertEquals(List.of(
        "openai-compatibility[0].base-url: 'https://user:<redacted>@api.example.com/v1?...' must not carry credentials "
            + "(user:password@); put the key in api-key-entries, or a header in headers",
        "proxy-url: 'http://169.254.169.254:3128' is refused: 169.254.169.254 is a link-local address "
            + "(169.254.0.0/16, fe80::/10), where cloud metadata services answer",
        "openai-compatibility[1].base-url: 'http://169.254.169.254/latest' is refused: 169.254.169.254 is a "
            + "link-local address (169.254.0.0/16, fe80::/10), where cloud metadata services answer",
        "openai-compatibility[2].base-url: 'http://metadata.google.internal/computeMetadata/v1' is refused: "
            + "metadata.google.internal is a cloud metadata service",
        "openai-compatibility[3].base-url: 'http://[fd00:ec2::254]/latest' is refused: fd00:ec2:0:0:0:0:0:254 is a "
            + "cloud metadata service address",
        "openai-compatibility[3].api-key-entries[0].proxy-url: 'socks5://metadata.goog:1080' is refused: "
            + "metadata.goog is a cloud metadata service",
        "openai-compatibility[5].base-url: 'http://2852039166/latest' is refused: 169.254.169.254 is a "
            + "link-local address (169.254.0.0/16, fe80::/10), where cloud metadata services answer"), e.problems());
  }

  @Test
  void privateUpstreamsAreAllowedUnlessRestricted() throws Exception {
    String providers = """
        openai-compatibility:
          - name: local
            base-url: "http://10.0.0.5:8000/v1"
            api-key-entries:
              - api-key: k
                proxy-url: "http://10.0.0.1:3128"
        """;
    assertTrue(loader.parse(providers, "default.yaml").upstream().allowPrivateAddresses());

    ConfigException e = assertThrows(ConfigException.class,
        () -> loader.parse("upstream:\n  allow-private-addresses: false\n" + providers, "restricted.yaml"));

    assertEquals(List.of("openai-compatibility[0].base-url: 'http://10.0.0.5:8000/v1' is refused: 10.0.0.5 is a "
        + "loopback, private or shared address and upstream.allow-private-addresses is false"), e.problems(),
        "outbound proxies may stay private");
  }

  @Test
  void emptyFileMeansDefaults() throws Exception {
    GatewayConfig c = loader.parse("", "empty.yaml");
    assertTrue(c.apiKeys().isEmpty());
    assertEquals(0, c.requestRetry());
    assertEquals(Duration.ofSeconds(10), c.transientErrorCooldown());
    assertEquals(32L * 1024 * 1024, c.maxRequestBodyBytes());
    assertEquals(UpstreamConfig.DEFAULT, c.upstream());
    assertFalse(c.remoteManagement().enabled());
  }

  @Test
  void upstreamDeadlinesAreGenerousByDefaultAndMustBePositive() throws Exception {
    UpstreamConfig defaults = loader.parse("", "default.yaml").upstream();
    assertEquals(Duration.ofMinutes(10), defaults.firstEventTimeout());
    assertEquals(Duration.ofMinutes(60), defaults.maxDuration());
    UpstreamConfig set = loader.parse("upstream:\n  first-event-timeout: 90s\n  max-duration: 2h\n", "set.yaml")
        .upstream();
    assertEquals(Duration.ofSeconds(90), set.firstEventTimeout());
    assertEquals(Duration.ofHours(2), set.maxDuration());

    ConfigException e = assertThrows(ConfigException.class,
        () -> loader.parse("upstream:\n  first-event-timeout: 0s\n  max-duration: 0s\n", "zero.yaml"));
    assertTrue(e.getMessage().contains("upstream.first-event-timeout: must be positive"), e.getMessage());
    assertTrue(e.getMessage().contains("upstream.max-duration: must be positive"), e.getMessage());
  }

  @Test
  void requestBodyTimeoutIs30sByDefaultAndMustBePositive() throws Exception {
    assertEquals(Duration.ofSeconds(30), loader.parse("", "default.yaml").requestBodyTimeout());
    assertEquals(Duration.ofSeconds(5), loader.parse("request-body-timeout: 5s\n", "set.yaml").requestBodyTimeout());
    ConfigException e = assertThrows(ConfigException.class,
        () -> loader.parse("request-body-timeout: 0s\n", "zero.yaml"));
    assertTrue(e.getMessage().contains("request-body-timeout: must be positive"), e.getMessage());
  }

  @Test
  void maxOpenRequestsBoundsTheWholeInstance() throws Exception {
    assertEquals(GatewayConfig.DEFAULT_MAX_OPEN_REQUESTS, loader.parse("", "default.yaml").maxOpenRequests());
    assertEquals(500, loader.parse("max-open-requests: 500\n", "set.yaml").maxOpenRequests());

    ConfigException e = assertThrows(ConfigException.class,
        () -> loader.parse("max-open-requests: 0\n", "zero.yaml"));
    assertEquals(1, e.problems().size(), e.problems().toString());
    assertTrue(e.problems().get(0).startsWith("max-open-requests: "), e.problems().toString());
  }

  @Test
  void unknownKeysAreErrorsWithSuggestions() {
    assertEquals("""
        typo.yaml has the following errors:
          * openai-compatibility[0].api-key-entrys: unknown key; did you mean 'api-key-entries'?
          * request-retyr: unknown key; did you mean 'request-retry'?""", failure("typo.yaml").getMessage());
  }

  @Test
  void everyWrongValueIsReportedWithItsPath() {
    assertEquals("""
        wrong-types.yaml has the following errors:
          * debug: expected true or false but found 'yes'
          * request-retry: expected a whole number but found 'many'
          * max-retry-interval: 'soon' is not a duration; expected seconds or a value such as 500ms, 30s, 5m, 1h
          * openai-compatibility[0].base-url: 'ftp://host/v1' must start with http:// or https://
          * openai-compatibility[0].api-key-entries[0].proxy-url: unknown scheme 'sock5'; expected http, socks5, socks5h or direct
          * openai-compatibility[0].api-key-entries[0].weight: 2000000 is out of range; expected 0 to 1000000
          * openai-compatibility[0].models[0].name: is required
          * openai-compatibility[0].responses-api: unknown value 'nativ'; expected one of translate, native""",
        failure("wrong-types.yaml").getMessage());
  }

  @Test
  void cliProxyApiFeaturesWeLackAreWarningsNotErrors() throws Exception {
    GatewayConfig c = load("unimplemented.yaml");
    assertEquals(List.of(
        "port: belongs to the servlet container (configure its connector instead) and is ignored",
        "openai-compatibility[0].models[0].display-name: is not supported by llm-proxy and is ignored",
        "openai-compatibility[0].support-prompt-cache-key: is not supported by llm-proxy and is ignored",
        "gemini-api-key: is not supported by llm-proxy and is ignored"), c.warnings());
  }

  @Test
  void requestScopedErrorsAreBoundInOrder() throws Exception {
    GatewayConfig c = loader.parse("""
        openai-compatibility:
          - name: p
            base-url: https://p.example/v1
            request-scoped-errors:
              - {status: 400, match: ["temporarily unavailable"], action: continue}
              - {match-regexr: ['maintenance\\s+mode'], action: stop-and-cooldown}
        """, "rules.yaml");
    List<ErrorRule> rules = c.providers().get(0).requestScopedErrors();
    assertEquals(2, rules.size());
    assertEquals(400, rules.get(0).status());
    assertEquals(ErrorAction.CONTINUE, rules.get(0).action());
    assertNull(rules.get(1).status());
    assertEquals(ErrorAction.STOP_AND_COOLDOWN, ErrorRule.actionFor(rules, 503, "{\"error\":\"maintenance  mode\"}"));
    assertTrue(c.warnings().isEmpty(), c.warnings().toString());
  }

  @Test
  void requestScopedErrorMistakesNameTheirPath() {
    ConfigException e = assertThrows(ConfigException.class, () -> loader.parse("""
        openai-compatibility:
          - name: p
            base-url: https://p.example/v1
            request-scoped-errors:
              - {status: 400, match-regexr: ["ok", "(unclosed"], action: continue}
              - {status: 99, action: retry}
              - {match: ["x"]}
        """, "rules.yaml"));
    String m = e.getMessage();
    assertTrue(m.contains("openai-compatibility[0].request-scoped-errors[0].match-regexr[1]: '(unclosed' is not a "
        + "valid regular expression"), m);
    assertTrue(m.contains("openai-compatibility[0].request-scoped-errors[1].status: 99 is out of range"), m);
    assertTrue(m.contains("openai-compatibility[0].request-scoped-errors[1].action: unknown value 'retry'; expected one "
        + "of stop, stop-and-cooldown, continue, continue-and-cooldown"), m);
    assertTrue(m.contains("openai-compatibility[0].request-scoped-errors[2].action: is required"), m);
  }

  @Test
  void corsAllowsNoOriginUnlessListed() throws Exception {
    assertEquals(CorsConfig.NONE, loader.parse("", "empty.yaml").cors());
    assertFalse(CorsConfig.NONE.allows("https://chat.example.com"));

    CorsConfig listed = loader.parse("cors: {allowed-origins: [\"https://chat.example.com\", \"http://localhost:3000\"]}",
        "cors.yaml").cors();
    assertTrue(listed.allows("https://Chat.Example.com"), "origins compare like host names");
    assertTrue(listed.allows("http://localhost:3000"));
    assertFalse(listed.allows("http://localhost:3001"));
    assertFalse(listed.allows(null), "no Origin header: not a browser's cross-origin request");

    CorsConfig any = loader.parse("cors: {allowed-origins: [\"*\"]}", "cors.yaml").cors();
    assertTrue(any.allowsAnyOrigin());
    assertTrue(any.allows("https://anything.example"));
  }

  @Test
  void nonStreamKeepaliveIsOffUnlessSetToASecondOrMore() throws Exception {
    assertEquals(Duration.ZERO, loader.parse("", "empty.yaml").nonStreamKeepaliveInterval());
    assertEquals(Duration.ofSeconds(30), loader.parse("nonstream-keepalive-interval: 30", "k.yaml")
        .nonStreamKeepaliveInterval(), "whole seconds, as CLIProxyAPI writes it");
    ConfigException e = assertThrows(ConfigException.class,
        () -> loader.parse("nonstream-keepalive-interval: 200ms", "k.yaml"));
    assertTrue(e.getMessage().contains("nonstream-keepalive-interval: must be 0 (off) or at least 1s"), e.getMessage());
  }

  @Test
  void corsOriginsWithAPathAreRefused() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> loader.parse("cors: {allowed-origins: [\"https://chat.example.com/app\"]}", "cors.yaml"));
    assertTrue(e.getMessage().contains("cors.allowed-origins[0]: 'https://chat.example.com/app' is not an origin"),
        e.getMessage());
  }

  @Test
  void providerNamesMustBeUniqueAndBaseUrlPresent() {
    assertEquals("""
        duplicate-names.yaml has the following errors:
          * openai-compatibility[2].name: is required
          * openai-compatibility[2].base-url: is required
          * openai-compatibility[1].name: 'groq' is already used by openai-compatibility[0]; provider names must be unique""",
        failure("duplicate-names.yaml").getMessage());
  }

  @Test
  void malformedYamlNamesLineAndColumn() {
    String message = failure("malformed.yaml").getMessage();
    assertTrue(message.startsWith("malformed.yaml has an error:\n  * invalid YAML: line 2, column"), message);
  }

  @Test
  void unsetEnvironmentVariableIsAnErrorNotAnEmptyKey() {
    assertEquals("""
        missing-env.yaml has an error:
          * openai-compatibility[0].api-key-entries[0].api-key: environment variable NOT_SET_ANYWHERE is not set""",
        failure("missing-env.yaml").getMessage());
  }

  @Test
  void yamlTagsCannotInstantiateClasses() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> loader.parse("api-keys: !!java.io.File [\"/tmp\"]", "evil.yaml"));
    assertTrue(e.getMessage().contains("invalid YAML"), e.getMessage());
  }

  @Test
  void missingFileSaysWhere(@org.junit.jupiter.api.io.TempDir Path dir) {
    Path file = dir.resolve("config.yaml");
    ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file));
    assertEquals(file + " has an error:\n  * file not found", e.getMessage());
  }

  @Test
  void httpsProxyUrlsAreRefusedWherePresent() {
    String refusal = "https:// proxies (TLS to the proxy) are not supported: HttpClient 5 cannot run an https "
        + "upstream's TLS inside a TLS connection to the proxy; use http:// (CONNECT keeps the upstream's TLS end "
        + "to end) or socks5://";
    ConfigException e = failure("https-proxy.yaml");
    assertEquals("https-proxy.yaml has the following errors:\n"
        + "  * proxy-url: " + refusal + "\n"
        + "  * openai-compatibility[0].api-key-entries[0].proxy-url: " + refusal, e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"));
  }

  @Test
  void stateIsInMemoryUnlessRedisIsNamed() throws Exception {
    assertEquals(StateConfig.DEFAULT, loader.parse("", "empty.yaml").state());
    assertEquals(StateConfig.Store.MEMORY, StateConfig.DEFAULT.store());
    assertEquals("llmproxy:", StateConfig.DEFAULT.keyPrefix());
    assertEquals(Duration.ofMillis(100), StateConfig.DEFAULT.redisTimeout());
  }

  @Test
  void stateInRedisIsBoundWithThePasswordFromTheEnvironmentAndNeverShowsIt() throws Exception {
    StateConfig state = new ConfigLoader(Map.of("REDIS_PASSWORD", "p@ss:w/rd")::get)
        .parse(fixture("state-redis.yaml"), "state-redis.yaml").state();
    assertEquals(StateConfig.Store.REDIS, state.store());
    assertEquals(new RedisUrl(true, "redis.internal", 6380, null, "p@ss:w/rd", 2), state.redis());
    assertEquals("team-a:", state.keyPrefix());
    assertEquals(Duration.ofMillis(250), state.redisTimeout());
    assertEquals("rediss://:<redacted>@redis.internal:6380/2", state.redis().toString());
    assertFalse(state.toString().contains("p@ss"), state.toString());
  }

  @Test
  void redisUrlsTakeAUserAPercentEncodedPasswordAndDefaultPortAndDatabase() {
    assertEquals(new RedisUrl(false, "10.0.0.5", 6379, null, null, 0), RedisUrl.parse("redis://10.0.0.5"));
    assertEquals(new RedisUrl(false, "r", 7000, "gateway", "a@b", 3), RedisUrl.parse("redis://gateway:a%40b@r:7000/3"));
    assertEquals("redis://gateway:<redacted>@r:7000/3", RedisUrl.parse("redis://gateway:a%40b@r:7000/3").toString());
    assertEquals("redis://[::1]:6379/0", RedisUrl.parse("redis://[::1]").toString());
    assertEquals("a+b%", RedisUrl.parse("redis://:a+b%@r").password(), "only %XX escapes are decoded");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RedisUrl.parse("redis://:pa@ss:word@r:port/0"));
    assertEquals("'redis://:<redacted>@r:port/0' has no valid host or port; expected redis://[:password@]host[:port][/db] or "
        + "rediss://... for TLS", e.getMessage());
    assertFalse(assertThrows(IllegalArgumentException.class, () -> RedisUrl.parse("redis://secretpass@r"))
        .getMessage().contains("secretpass"));
  }

  @Test
  void stateMistakesNameTheirPath() {
    assertEquals("""
        state-bad.yaml has the following errors:
          * state.store: unknown value 'shared'; expected one of memory, redis
          * state.redis-url: 'http://redis.internal:6379' is not a Redis URL; expected redis://[:password@]host[:port][/db] or rediss://... for TLS
          * state.key-prefix: must be a non-empty word without spaces, such as "llmproxy:"
          * state.redis-timeout: must be more than 0 and at most 1m
          * state.redis-timout: unknown key; did you mean 'redis-timeout'?""", failure("state-bad.yaml").getMessage());
    assertEquals("""
        state-redis-without-url.yaml has an error:
          * state.redis-url: is required when state.store is redis""",
        failure("state-redis-without-url.yaml").getMessage());
    String database = failure("state-url-bad-database.yaml").getMessage();
    assertEquals("""
        state-url-bad-database.yaml has an error:
          * state.redis-url: 'redis://:<redacted>@redis.internal/zero' names database 'zero'; expected a number such as /0""",
        database);
  }

  @Test
  void aRedisUrlWithoutRedisIsAWarning() throws Exception {
    GatewayConfig c = load("state-memory-with-url.yaml");
    assertEquals(List.of("state.redis-url: has no effect while state.store is memory"), c.warnings());
    assertEquals(StateConfig.DEFAULT, c.state());
  }

  /** {@code upstream.trust-store}, against stores that keytool makes for this class in a temporary directory. */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class TrustStore {
    private final ConfigLoader withPassword =
        new ConfigLoader(Map.of("TRUST_STORE_PASSWORD", SelfSignedCertificate.PASSWORD)::get);
    private SelfSignedCertificate certificate;

    @BeforeAll
    void createCertificate() {
      certificate = SelfSignedCertificate.forLoopback();
    }

    @AfterAll
    void deleteCertificate() {
      certificate.close();
    }

    /** A config directory holding {@code upstream-trust.p12} and a text file, {@code notes.txt}. */
    private Path configDir(Path dir) throws IOException {
      Files.copy(certificate.trustStore(), dir.resolve("upstream-trust.p12"));
      Files.writeString(dir.resolve("notes.txt"), "not a key store");
      return dir;
    }

    private String failureIn(Path dir, String name) throws IOException {
      return assertThrows(ConfigException.class,
          () -> withPassword.parse(fixture(name), name, configDir(dir))).getMessage();
    }

    @Test
    void relativePathIsResolvedAgainstTheConfigFileAndOpenedWithThePasswordFromTheEnvironment(@TempDir Path dir)
        throws Exception {
      Path file = Files.writeString(configDir(dir).resolve("config.yaml"), fixture("trust-store.yaml"));

      UpstreamTrustStore store = withPassword.load(file).upstream().trustStore();

      assertEquals(dir.resolve("upstream-trust.p12"), store.path());
      assertEquals(1, store.certificates());
      assertTrue(store.toString().startsWith(dir.resolve("upstream-trust.p12") + " (1 certificate, sha256 "), store.toString());
      assertFalse(store.toString().contains(SelfSignedCertificate.PASSWORD));
    }

    @Test
    void aStoreIsTheSameUntilItsContentChanges(@TempDir Path dir) throws Exception {
      Path file = Files.writeString(configDir(dir).resolve("config.yaml"), fixture("trust-store.yaml"));
      UpstreamConfig first = withPassword.load(file).upstream();

      assertEquals(first, withPassword.load(file).upstream(), "a reload of the same store keeps the pool");
      Files.copy(certificate.keyStore(), dir.resolve("upstream-trust.p12"), StandardCopyOption.REPLACE_EXISTING);
      assertFalse(first.equals(withPassword.load(file).upstream()), "a rotated store gets a new pool");
    }

    @Test
    void missingStoreNamesTheResolvedPath(@TempDir Path dir) throws Exception {
      assertEquals("trust-store-missing.yaml has an error:\n  * upstream.trust-store: "
          + dir.resolve("certs/no-such-store.p12") + " does not exist", failureIn(dir, "trust-store-missing.yaml"));
    }

    @Test
    void wrongPasswordIsReported(@TempDir Path dir) throws Exception {
      assertEquals("trust-store-wrong-password.yaml has an error:\n  * upstream.trust-store: "
          + dir.resolve("upstream-trust.p12") + " cannot be opened: wrong upstream.trust-store-password",
          failureIn(dir, "trust-store-wrong-password.yaml"));
    }

    @Test
    void missingPasswordIsReportedAsUnreadableCertificates(@TempDir Path dir) throws Exception {
      assertEquals("trust-store-without-password.yaml has an error:\n  * upstream.trust-store: "
          + dir.resolve("upstream-trust.p12")
          + " contains no certificates readable without a password; set upstream.trust-store-password",
          failureIn(dir, "trust-store-without-password.yaml"));
    }

    @Test
    void aFileThatIsNoKeyStoreIsReported(@TempDir Path dir) throws Exception {
      assertEquals("trust-store-not-a-store.yaml has an error:\n  * upstream.trust-store: "
          + dir.resolve("notes.txt") + " is not a PKCS12 or JKS key store",
          failureIn(dir, "trust-store-not-a-store.yaml"));
    }

    @Test
    void aPasswordWithoutAStoreIsAnError(@TempDir Path dir) throws Exception {
      assertEquals("trust-store-password-alone.yaml has an error:\n"
          + "  * upstream.trust-store-password: is set but upstream.trust-store is not",
          failureIn(dir, "trust-store-password-alone.yaml"));
    }
  }

  @Test
  void secretsNeverAppearInToString() throws Exception {
    GatewayConfig c = load("valid-full.yaml");
    String printed = c.providers().toString() + c.proxy() + c.remoteManagement();
    assertFalse(printed.contains("sk-or-v1-from-env"), printed);
    assertFalse(printed.contains(":secret@"), printed);
    assertFalse(printed.contains("s3cret"), printed);
  }
}
