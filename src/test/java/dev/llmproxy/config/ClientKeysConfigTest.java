package dev.llmproxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code api-keys} as strings and objects, {@code user-limits} and model prices, bound by {@link ClientKeysBinder}. */
class ClientKeysConfigTest {
  private final ConfigLoader loader = new ConfigLoader(Map.<String, String>of()::get);

  private GatewayConfig load(String name) throws Exception {
    try (InputStream in = ClientKeysConfigTest.class.getResourceAsStream("/config/" + name)) {
      return loader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
    }
  }

  @Test
  void bindsStringsAndObjectsSideBySide() throws Exception {
    GatewayConfig c = load("client-keys-valid.yaml");
    assertEquals(3, c.apiKeys().size(), "the repeated string counts once");

    ClientKeyConfig plain = c.apiKeys().get(0);
    assertEquals(ClientKeyConfig.plain("plain-key-0001"), plain);
    assertEquals(LimitsConfig.NONE, plain.limits());
    assertEquals("plai...0001", plain.label());

    ClientKeyConfig teamA = c.apiKeys().get(1);
    assertEquals("team-a", teamA.label());
    assertEquals(ClientKeyConfig.sha256Hex("object-key-0002"), teamA.sha256());
    assertEquals(new LimitsConfig(List.of("gpt-4o*", "claude-*"), 60, 100_000L, 5_000_000_000L,
        new BigDecimal("12.5"), Instant.parse("2026-07-01T00:00:00Z"), false), teamA.limits());

    ClientKeyConfig teamB = c.apiKeys().get(2);
    assertEquals("", teamB.key(), "only the hash is known");
    assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", teamB.sha256(),
        "hex is compared in lower case");
    assertTrue(teamB.limits().disabled());
    assertEquals(Instant.parse("2026-07-01T10:00:00Z"), teamB.limits().expires());
    assertEquals("Team B", teamB.label());

    assertEquals(List.of(new UserLimitsConfig("alice", "", new LimitsConfig(List.of(), 5, null, null, null, null,
        false)), new UserLimitsConfig("", "interns", new LimitsConfig(List.of("gpt-4o-mini"), null, null, null,
        BigDecimal.valueOf(5), null, false))), c.userLimits());

    ProviderConfig p = c.providers().get(0);
    assertEquals(new ModelPrice(new BigDecimal("2.5"), BigDecimal.valueOf(10)), p.models().get(0).price());
    assertEquals(new ModelPrice(new BigDecimal("0.15"), new BigDecimal("0.6")), p.models().get(1).price());
    assertNull(p.models().get(2).price());
    assertEquals(List.of("openai-compatibility[0].models[2]: has no price, so the requests it serves add nothing to "
        + "max-cost-per-month"), c.warnings());
  }

  @Test
  void everyBadEntryIsReportedWithItsPath() {
    ConfigException e = assertThrows(ConfigException.class, () -> load("client-keys-bad.yaml"));
    assertEquals("""
        client-keys-bad.yaml has the following errors:
          * api-keys[0].key-sha256: set key or key-sha256, not both
          * api-keys[1]: needs key (the key in clear) or key-sha256 (its hex SHA-256)
          * api-keys[2].key-sha256: expected 64 hexadecimal digits (the SHA-256 of the key, as printed by: printf %s \
        "$KEY" | sha256sum)
          * api-keys[3].rpm: 0 is out of range; expected 1 to 100000000
          * api-keys[3].tpm: expected a whole number but found 'lots'
          * api-keys[3].max-cost-per-month: -1 is negative; expected 0 or more
          * api-keys[3].expires: 'next week' is not a date; expected a date such as 2026-07-01 (the key stops working \
        at 00:00 UTC that day) or a time such as 2026-07-01T12:00:00Z
          * api-keys[3].models: is empty, which would allow no model; leave it out to allow every model
          * api-keys[3].max-token-per-month: unknown key; did you mean 'max-tokens-per-month'?
          * api-keys[3].name: 'bad/name' is not a valid name; use up to 64 letters, digits, spaces and . _ @ + -, \
        starting with a letter or digit
          * api-keys[5]: is the same key as api-keys[4]
          * api-keys[7].name: 'DUP' is already the name of api-keys[6]; names must be unique
          * api-keys[8]: expected a key (a string) or a mapping with key or key-sha256 but found a list
          * openai-compatibility[0].models[0].price.output: is required: US dollars per million completion tokens
          * user-limits[0]: needs either user (a user name) or role (a container role), not both
          * user-limits[1]: needs either user (a user name) or role (a container role), not both
          * user-limits[3]: user bob already has limits at user-limits[2]""", e.getMessage());
  }

  @Test
  void userLimitsWithoutContainerSignInAreAWarning() throws Exception {
    GatewayConfig c = loader.parse("user-limits: [{user: alice, rpm: 1}]\n", "inline");
    assertEquals(List.of("user-limits: has no effect while client-auth is api-key"), c.warnings());
  }

  @Test
  void unnamedKeysMaskedAlikeAreKnownApartByTheirHash() throws Exception {
    GatewayConfig c = loader.parse("""
        api-keys:
          - "plain-key-0001"
          - "plainzzzz-0001"
          - {key: "plainyyyy-0001", max-tokens-per-month: 500}
          - {key: "other-key-0002", name: "PLAI...0009"}
          - "plainxxxx-0009"
        """, "inline");

    List<String> labels = c.apiKeys().stream().map(ClientKeyConfig::label).toList();
    String hash = "sha256:" + ClientKeyConfig.sha256Hex("plainzzzz-0001").substring(0, 12);
    assertEquals(List.of("plai...0001", hash, "sha256:" + ClientKeyConfig.sha256Hex("plainyyyy-0001").substring(0, 12),
        "PLAI...0009", "sha256:" + ClientKeyConfig.sha256Hex("plainxxxx-0009").substring(0, 12)), labels);
    assertEquals(5, labels.stream().distinct().count());
    assertEquals("api-keys[1]: masked it shows as 'plai...0001', as api-keys[0] does; logs and usage name it " + hash
        + " instead (give it a name to choose one)", c.warnings().get(0));
    assertEquals(3, c.warnings().size(), c.warnings().toString());
    assertEquals(500L, c.apiKeys().get(2).limits().maxTokensPerMonth());
  }

  @Test
  void aMetricsTokenMustNotBeAClientKeyEvenHashed() {
    ConfigException e = assertThrows(ConfigException.class, () -> loader.parse("""
        api-keys: [{key-sha256: "%s"}]
        metrics: {token: "scraper-token-0001"}
        """.formatted(ClientKeyConfig.sha256Hex("scraper-token-0001")), "inline"));
    assertTrue(e.getMessage().contains("metrics.token: must differ from every api-keys entry"), e.getMessage());
  }

  @Test
  void pricesAreCountedInNanoDollars() {
    ModelPrice price = new ModelPrice(new BigDecimal("2.5"), new BigDecimal("10"));
    assertEquals(2_500 * 1_000 + 10_000 * 2_000, price.nanoDollars(1_000, 2_000));
    assertEquals(0, new ModelPrice(new BigDecimal("0.0001"), BigDecimal.ZERO).nanoDollars(1, 0), "rounded");
    assertEquals(1, new ModelPrice(new BigDecimal("0.0005"), BigDecimal.ZERO).nanoDollars(1, 0), "half up");
  }

  @Test
  void toStringNeverShowsTheKey() {
    ClientKeyConfig key = ClientKeyConfig.plain("secret-client-key-1234");
    assertEquals("ClientKeyConfig[secr...1234, limits=" + LimitsConfig.NONE + "]", key.toString());
    assertEquals("sha256:" + ClientKeyConfig.sha256Hex("x").substring(0, 12),
        new ClientKeyConfig("", ClientKeyConfig.sha256Hex("x"), "", LimitsConfig.NONE).label());
  }
  @Test
  void maxParallelRequestsIsALimitOfKeysAndUsers() throws Exception {
    GatewayConfig c = loader.parse("""
        client-auth: both
        api-keys:
          - {name: team-a, key: "object-key-0002", max-parallel-requests: 2}
        user-limits:
          - {role: interns, max-parallel-requests: 1}
        """, "parallel.yaml");
    assertEquals(2, c.apiKeys().get(0).limits().maxParallelRequests());
    assertFalse(c.apiKeys().get(0).limits().isEmpty(), "a cap alone is a limit");
    assertFalse(c.apiKeys().get(0).limits().counts(), "but nothing to count per minute or month");
    assertEquals(1, c.userLimits().get(0).limits().maxParallelRequests());

    ConfigException e = assertThrows(ConfigException.class, () -> loader.parse(
        "api-keys: [{key: \"object-key-0002\", max-parallel-requests: 0}]\n", "zero.yaml"));
    assertTrue(e.problems().get(0).startsWith("api-keys[0].max-parallel-requests: "), e.problems().toString());
  }
}
