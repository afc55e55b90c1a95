package dev.llmproxy.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.config.ClientKeyConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientKeyEntriesTest {
  @Test
  void newKeysAreLongRandomAndRecognisable() {
    String key = ClientKeyEntries.newKey();
    assertTrue(key.matches("sk-lp-[A-Za-z0-9_-]{43}"), key);
    assertNotEquals(key, ClientKeyEntries.newKey());
  }

  @Test
  void aCreatedEntryHoldsTheNameTheHashAndTheLimitsButNeverTheKey() {
    Map<String, Object> request = new LinkedHashMap<>(Map.of("rpm", 60));
    request.put("name", " team-a ");
    request.put("models", List.of("gpt-*"));
    Map<String, Object> entry = ClientKeyEntries.created(request, "sk-lp-secret");
    assertEquals(List.of("name", "key-sha256", "rpm", "models"), List.copyOf(entry.keySet()));
    assertEquals("team-a", entry.get("name"));
    assertEquals(ClientKeyConfig.sha256Hex("sk-lp-secret"), entry.get("key-sha256"));
    assertTrue(entry.values().stream().noneMatch("sk-lp-secret"::equals));
  }

  @Test
  void aCreateRequestNeedsANameAndNoKey() {
    assertEquals("name is required: it names the key in logs, usage and limits",
        assertThrows(ManagementException.class, () -> ClientKeyEntries.created(Map.of("rpm", 1), "k")).getMessage());
    assertTrue(assertThrows(ManagementException.class, () -> ClientKeyEntries.created(
        Map.of("name", "x", "key-sha256", "ab"), "k")).getMessage().contains("leave out key-sha256"));
  }

  @Test
  void changesAreMergedAndNullRemovesAField() {
    Map<String, Object> entry = new LinkedHashMap<>(Map.of("name", "a"));
    entry.put("rpm", 5);
    Map<String, Object> changes = new LinkedHashMap<>();
    changes.put("rpm", null);
    changes.put("disabled", true);
    assertEquals(Map.of("name", "a", "disabled", true), ClientKeyEntries.merged(entry, changes));
    assertEquals(Map.of("key", "plain-key", "tpm", 10), ClientKeyEntries.merged("plain-key", Map.of("tpm", 10)),
        "a string entry becomes an object keeping its key");
    assertThrows(ManagementException.class, () -> ClientKeyEntries.merged(entry, Map.of("key", "other")));
  }

  @Test
  void entriesAreFoundByNameIgnoringCase() {
    List<Object> keys = new ArrayList<>(List.of("plain", Map.of("name", "Team-A"), Map.of("name", "b")));
    assertEquals(1, ClientKeyEntries.indexOfName(keys, "team-a"));
    assertEquals(404, assertThrows(ManagementException.class, () -> ClientKeyEntries.indexOfName(keys, "c"))
        .status());
  }

  @Test
  @SuppressWarnings("unchecked")
  void objectKeysAndHashesAreMaskedAndRestoredLikeStringKeys() {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("key", "object-key-0002-bbbb");
    entry.put("name", "team");
    Map<String, Object> hashed = new LinkedHashMap<>();
    hashed.put("key-sha256", ClientKeyConfig.sha256Hex("x"));
    Map<String, Object> root = new LinkedHashMap<>(Map.of("api-keys", new ArrayList<>(List.of(entry, hashed))));
    Map<String, Object> masked = (Map<String, Object>) SecretMasking.mask(root);
    List<Map<String, Object>> shown = (List<Map<String, Object>>) masked.get("api-keys");
    assertEquals("obje...bbbb", shown.get(0).get("key"));
    assertEquals("team", shown.get(0).get("name"));
    String hash = ClientKeyConfig.sha256Hex("x");
    assertEquals(hash.substring(0, 4) + "..." + hash.substring(60), shown.get(1).get("key-sha256"));

    SecretMasking.restore(root, masked);
    assertEquals(root, masked, "sent back as shown, the stored values stay");
  }
}
