package dev.llmproxy.management;

import dev.llmproxy.testing.YamlComments;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretMaskingTest {

  private static Map<String, Object> provider(String name, String... keys) {
    List<Object> entries = new ArrayList<>();
    for (String k : keys) {
      entries.add(new LinkedHashMap<>(Map.of("api-key", k)));
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("name", name);
    p.put("api-key-entries", entries);
    return p;
  }

  private static Map<String, Object> root(Object... providers) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("api-keys", new ArrayList<>(List.of("client-key-0001-aaaa", "${CLIENT_KEY}")));
    root.put("proxy-url", "socks5://user:hunter2secret@10.0.0.1:1080");
    root.put("openai-compatibility", new ArrayList<>(List.of(providers)));
    return root;
  }

  @Test
  @SuppressWarnings("unchecked")
  void masksKeysAndProxyPasswordsButShowsEnvReferences() {
    Map<String, Object> masked = (Map<String, Object>) SecretMasking.mask(root(provider("a", "sk-alpha-0123456789-b780")));

    assertEquals(List.of("clie...aaaa", "${CLIENT_KEY}"), masked.get("api-keys"));
    assertEquals("socks5://user:...@10.0.0.1:1080", masked.get("proxy-url"));
    Map<String, Object> p = ((List<Map<String, Object>>) masked.get("openai-compatibility")).get(0);
    assertEquals(List.of(Map.of("api-key", "sk-a...b780")), p.get("api-key-entries"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void masksTheMetricsTokenDatabasePasswordsAndEveryProviderHeaderButThoseThatNameAnApp() {
    Map<String, Object> p = provider("a", "sk-alpha-0123456789-b780");
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put("Ocp-Apim-Subscription-Key", "azure-subscription-0123456789");
    headers.put("X-Auth", "custom-credential-0123456789");
    headers.put("X-Title", "My Application");
    headers.put("HTTP-Referer", "https://myapp.example");
    p.put("headers", headers);
    Map<String, Object> stored = root(p);
    stored.put("metrics", new LinkedHashMap<>(Map.of("token", "metrics-token-0123456789")));
    stored.put("usage", new LinkedHashMap<>(Map.of("jdbc-url", "jdbc:postgresql://db/u?user=u&password=pgsecret&ssl=true",
        "jdbc-password", "pgsecret2")));

    Map<String, Object> masked = (Map<String, Object>) SecretMasking.mask(stored);

    assertEquals(Map.of("token", "metr...6789"), masked.get("metrics"));
    assertEquals(Map.of("jdbc-url", "jdbc:postgresql://db/u?user=u&password=...&ssl=true", "jdbc-password", "..."),
        masked.get("usage"));
    Map<String, Object> shown = (Map<String, Object>)
        ((List<Map<String, Object>>) masked.get("openai-compatibility")).get(0).get("headers");
    assertEquals(Map.of("Ocp-Apim-Subscription-Key", "azur...6789", "X-Auth", "cust...6789",
        "X-Title", "My Application", "HTTP-Referer", "https://myapp.example"), shown);

    SecretMasking.restore(stored, masked);
    assertEquals(stored, masked);
  }

  @Test
  void restoresMaskedValuesSentBackUnchanged() {
    Map<String, Object> stored = root(provider("a", "sk-alpha-0123456789-b780"));
    Object sentBack = SecretMasking.mask(stored);

    SecretMasking.restore(stored, sentBack);

    assertEquals(stored, sentBack);
  }

  @Test
  @SuppressWarnings("unchecked")
  void restoresAMaskedKeyThatMovedToAnotherPosition() {
    Map<String, Object> stored = root(provider("a", "sk-alpha-0123456789-b780"), provider("b", "sk-beta-abcdefghij-c999"));
    Map<String, Object> sent = (Map<String, Object>) SecretMasking.mask(stored);
    List<Object> providers = (List<Object>) sent.get("openai-compatibility");
    providers.add(0, providers.remove(1));

    SecretMasking.restore(stored, sent);

    Map<String, Object> first = (Map<String, Object>) providers.get(0);
    assertEquals(List.of(Map.of("api-key", "sk-beta-abcdefghij-c999")), first.get("api-key-entries"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void keysMaskedAlikeGoBackToTheirOwnProviderWhenTheListIsSentBackShorter() {
    // Both show as sk-o...3456: dropping the first (a panel deleting it) must not hand its key to the second.
    Map<String, Object> stored = root(provider("a", "sk-or-v1-AAAAAAAAAAAA-3456"), provider("b", "sk-or-v1-BBBBBBBBBBBB-3456"));
    Map<String, Object> sent = (Map<String, Object>) SecretMasking.mask(stored);
    List<Object> providers = (List<Object>) sent.get("openai-compatibility");
    providers.remove(0);

    SecretMasking.restore(stored, sent);

    assertEquals(List.of(Map.of("api-key", "sk-or-v1-BBBBBBBBBBBB-3456")),
        ((Map<String, Object>) providers.get(0)).get("api-key-entries"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void clientKeysMaskedAlikeFollowTheirNames() {
    Map<String, Object> stored = root();
    stored.put("api-keys", new ArrayList<>(List.of(
        new LinkedHashMap<>(Map.of("name", "admin-team", "key", "client-key-AAAAAAAAA-1111")),
        new LinkedHashMap<>(Map.of("name", "intern", "key", "client-key-BBBBBBBBB-1111")))));
    Map<String, Object> sent = (Map<String, Object>) SecretMasking.mask(stored);
    List<Object> keys = (List<Object>) sent.get("api-keys");
    keys.remove(0);

    SecretMasking.restore(stored, sent);

    assertEquals("client-key-BBBBBBBBB-1111", ((Map<String, Object>) keys.get(0)).get("key"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void keysMaskedAlikeThatNothingTellsApartAreAskedForInClear() {
    Map<String, Object> stored = root();
    stored.put("api-keys", new ArrayList<>(List.of("client-key-AAAAAAAAA-1111", "client-key-BBBBBBBBB-1111")));
    Map<String, Object> sent = (Map<String, Object>) SecretMasking.mask(stored);
    ((List<Object>) sent.get("api-keys")).remove(0);

    ManagementException e = assertThrows(ManagementException.class, () -> SecretMasking.restore(stored, sent));

    assertEquals(422, e.status());
    assertTrue(e.getMessage().contains("matches several stored secrets"), e.getMessage());
  }

  @Test
  @SuppressWarnings("unchecked")
  void secretsThatContainThreeDotsAreStoredAsSentNotTakenForMasks() {
    Map<String, Object> stored = root(provider("a", "sk-alpha-0123456789-b780"));
    stored.put("remote-management", new LinkedHashMap<>(Map.of("secret-key", "plaintext-secret")));
    Map<String, Object> sent = root(provider("a", "sk-alpha-0123456789-b780"));
    // The management secret's bcrypt hash (its alphabet has the dot) and a proxy password with three dots in it.
    String hash = "$2a$10$Oy2f29uuJd1Q2P8kCBjQ6eDW5hnSmryjrF716brolBzJIKVbG...S";
    sent.put("remote-management", new LinkedHashMap<>(Map.of("secret-key", hash)));
    sent.put("proxy-url", "socks5://user:pass...word@10.0.0.1:1080");

    SecretMasking.restore(stored, sent);

    assertEquals(hash, ((Map<String, Object>) sent.get("remote-management")).get("secret-key"));
    assertEquals("socks5://user:pass...word@10.0.0.1:1080", sent.get("proxy-url"));
  }

  @Test
  void aMaskedValueMatchingNoStoredKeyIsRejectedNamingItsPath() {
    Map<String, Object> stored = root(provider("a", "sk-alpha-0123456789-b780"));
    Map<String, Object> sent = root(provider("a", "sk-z...9999"));

    ManagementException e = assertThrows(ManagementException.class, () -> SecretMasking.restore(stored, sent));

    assertEquals(422, e.status());
    assertTrue(e.getMessage().startsWith("openai-compatibility[0].api-key-entries[0].api-key: 'sk-z...9999'"),
        e.getMessage());
  }

  @Test
  void maskedTextHidesSecretsAndKeepsEverythingElse() throws IOException {
    String text = YamlDocumentTest.fixture("commented-config.yaml");

    String masked = SecretMasking.maskText(text);

    assertFalse(masked.contains("sk-alpha-0123456789-b780"), masked);
    assertTrue(masked.contains("- api-key: \"sk-a...b780\"   # primary key"), masked);
    assertTrue(masked.contains("\"${ALPHA_BACKUP_KEY}\""), masked);
    assertEquals(YamlComments.of(text), YamlComments.of(masked));
  }

  @Test
  void maskedTextSentBackRestoresTheOriginalFile() throws IOException {
    String text = YamlDocumentTest.fixture("commented-config.yaml");

    String restored = SecretMasking.restoreText(YamlDocument.parse(text).toPlain(), SecretMasking.maskText(text));

    assertEquals(text, restored);
  }

  @Test
  void aWindowsFileIsMaskedAndRestoredInPlaceWithItsByteOrderMarkAndCrlf() {
    String text = "\uFEFF# team gateway\r\n# keys below\r\napi-keys:\r\n  - \"client-key-0001-aaaa\"   # CI\r\n"
        + "remote-management:\r\n  secret-key: \"mgmt-secret-0123456789\"\r\n";

    String masked = SecretMasking.maskText(text);

    assertEquals("\uFEFF# team gateway\r\n# keys below\r\napi-keys:\r\n  - \"clie...aaaa\"   # CI\r\n"
        + "remote-management:\r\n  secret-key: \"mgmt...6789\"\r\n", masked);
    assertEquals(text, SecretMasking.restoreText(YamlDocument.plainOf(text), masked));
  }

  @Test
  @SuppressWarnings("unchecked")
  void masksTheRedisPasswordAndTrustStorePasswordsAndRestoresThemSentBack() {
    Map<String, Object> stored = new LinkedHashMap<>();
    stored.put("state", new LinkedHashMap<>(Map.of("store", "redis",
        "redis-url", "rediss://:r3dis@pass/word@redis.internal:6380/0", "redis-trust-store-password", "tr-pass-1234")));
    stored.put("upstream", new LinkedHashMap<>(Map.of("trust-store-password", "up-trust-5678")));

    Map<String, Object> masked = (Map<String, Object>) SecretMasking.mask(stored);

    Map<String, Object> state = (Map<String, Object>) masked.get("state");
    assertEquals("rediss://:...@redis.internal:6380/0", state.get("redis-url"));
    assertEquals("...", state.get("redis-trust-store-password"), "passwords show nothing of themselves");
    assertFalse(masked.toString().contains("up-trust-5678"), masked.toString());
    SecretMasking.restore(stored, masked);
    assertEquals(stored, masked);
  }
}
