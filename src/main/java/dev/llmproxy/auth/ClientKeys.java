package dev.llmproxy.auth;

import dev.llmproxy.config.ClientKeyConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The configured {@code api-keys} of one snapshot, found by the SHA-256 of a presented key: one digest and one map
 * lookup per request, however many keys are configured. Keys given in clear and keys given as {@code key-sha256}
 * are looked up alike.
 *
 * <p>Timing: only digests are compared, never keys. How long a lookup takes depends on the presented key's digest,
 * which its sender cannot steer towards a stored one (SHA-256 is preimage resistant), so timing reveals nothing about
 * the configured keys (the reason stored API keys are commonly looked up by their hash). Immutable and thread-safe.
 */
public final class ClientKeys {
  /** A configured key and the identity of the clients presenting it, built once per snapshot. */
  public record Match(ClientKeyConfig entry, ClientIdentity identity) {}

  private final Map<ByteBuffer, Match> byDigest;

  public ClientKeys(List<ClientKeyConfig> apiKeys) {
    Map<ByteBuffer, Match> map = new HashMap<>();
    for (ClientKeyConfig entry : apiKeys) {
      map.putIfAbsent(ByteBuffer.wrap(HexFormat.of().parseHex(entry.sha256())),
          new Match(entry, ClientIdentity.apiKey(entry)));
    }
    this.byDigest = Map.copyOf(map);
  }

  /** The entry of {@code presented}, or {@code null} when no configured key is it. */
  public Match find(String presented) {
    if (presented == null || presented.isEmpty()) {
      return null;
    }
    return byDigest.get(ByteBuffer.wrap(sha256(presented)));
  }

  private static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
