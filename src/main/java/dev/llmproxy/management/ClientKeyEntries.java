package dev.llmproxy.management;

import dev.llmproxy.config.ClientKeyConfig;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Edits of {@code api-keys} entries as plain values, for {@link ApiKeysResource}: a new key's entry (the file gets
 * only its hash), limits merged into an entry, an entry found by name. What the fields may hold is left to the config
 * loader, which validates every write. Stateless apart from the random source.
 */
final class ClientKeyEntries {
  /** What generated keys start with, so they are recognisable in a client's settings and in leak scanners. */
  static final String PREFIX = "sk-lp-";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Set<String> KEY_FIELDS = Set.of("key", "key-sha256");

  private ClientKeyEntries() {}

  /** A new client key: 256 random bits, URL-safe. */
  static String newKey() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * The entry to store for a key created with {@code request} (a name and limits, never the key): the name, the
   * key's hash, then the limits as sent.
   */
  static Map<String, Object> created(Map<String, Object> request, String key) {
    for (String field : KEY_FIELDS) {
      if (request.containsKey(field)) {
        throw ManagementException.invalidBody("the gateway makes the key: leave out " + field
            + " (to add a key you already have, PATCH or PUT api-keys)");
      }
    }
    Object name = request.get("name");
    if (!(name instanceof String s) || s.isBlank()) {
      throw ManagementException.invalidBody("name is required: it names the key in logs, usage and limits");
    }
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("name", s.trim());
    entry.put("key-sha256", ClientKeyConfig.sha256Hex(key));
    request.forEach((field, value) -> {
      if (!field.equals("name")) {
        entry.put(field, value);
      }
    });
    return entry;
  }

  /**
   * {@code entry} with {@code changes} applied: each field set, or removed when {@code null}. A plain string entry
   * becomes an object holding it as {@code key}. The key itself does not change this way.
   */
  static Map<String, Object> merged(Object entry, Map<String, Object> changes) {
    for (String field : KEY_FIELDS) {
      if (changes.containsKey(field)) {
        throw ManagementException.invalidBody(field + " cannot be changed; create a new key and delete this one");
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    if (entry instanceof Map<?, ?> map) {
      map.forEach((k, v) -> out.put(String.valueOf(k), v));
    } else {
      out.put("key", entry);
    }
    changes.forEach((field, value) -> {
      if (value == null) {
        out.remove(field);
      } else {
        out.put(field, value);
      }
    });
    return out;
  }

  /** The position of the entry named {@code name} (ignoring case, as names are unique), or 404. */
  static int indexOfName(List<Object> keys, String name) {
    for (int i = 0; i < keys.size(); i++) {
      if (keys.get(i) instanceof Map<?, ?> map && map.get("name") instanceof String n
          && n.trim().toLowerCase(Locale.ROOT).equals(name.trim().toLowerCase(Locale.ROOT))) {
        return i;
      }
    }
    throw ManagementException.itemNotFound("no api key named '" + name + "'");
  }
}
