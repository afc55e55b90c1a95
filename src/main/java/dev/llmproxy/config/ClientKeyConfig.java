package dev.llmproxy.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One {@code api-keys} entry: a plain string (a key and nothing else, as in CLIProxyAPI) or an object with
 * {@code key} or {@code key-sha256}, a {@code name} and {@link LimitsConfig limits}. Immutable; {@link #toString()}
 * masks the key.
 *
 * @param key the key in clear, or {@code ""} when the file holds only its hash or its mask would name another entry
 *     too (then the hash names it)
 * @param sha256 the hex SHA-256 of the key's UTF-8 bytes, lower case: what requests are matched by
 * @param name the operator's name for the key ({@code team-a}), or {@code ""}
 */
public record ClientKeyConfig(String key, String sha256, String name, LimitsConfig limits) {

  /** A plain string entry: the key, unnamed and unlimited. */
  public static ClientKeyConfig plain(String key) {
    return new ClientKeyConfig(key, sha256Hex(key), "", LimitsConfig.NONE);
  }

  /**
   * How logs and usage records name a client using this key: its {@code name}, else the masked key, else
   * {@code sha256:} and the first 12 hex digits of the hash (no clear key to mask).
   */
  public String label() {
    if (!name.isEmpty()) {
      return name;
    }
    return key.isEmpty() ? "sha256:" + sha256.substring(0, 12) : Secrets.mask(key);
  }

  /** The hex SHA-256 of {@code key}'s UTF-8 bytes, lower case. */
  public static String sha256Hex(String key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "ClientKeyConfig[" + label() + ", limits=" + limits + "]";
  }
}
