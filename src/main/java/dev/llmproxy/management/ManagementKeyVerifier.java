package dev.llmproxy.management;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Checks a presented management key against {@code remote-management.secret-key}: a bcrypt hash
 * ({@code $2a$}, {@code $2b$}, {@code $2y$}, as CLIProxyAPI writes them) is verified with bcrypt; a
 * plaintext secret (one that comes from an {@code ${ENV}} reference, or was not yet hashed) is compared
 * by SHA-256 digest in constant time. A key that passed bcrypt once for a given hash is remembered by
 * its SHA-256 digest, so a busy control panel does not pay bcrypt's cost on every call. Thread-safe.
 */
final class ManagementKeyVerifier {
  private static final Pattern BCRYPT = Pattern.compile("^\\$2[abxy]?\\$\\d{2}\\$[./A-Za-z0-9]{53}$");
  private static final int MAX_BCRYPT_BYTES = 72;
  private static final int REMEMBERED = 16;

  /** Digests of keys already verified, per hash: {@code hash + ' ' + hex(sha256(key))}. */
  private final Set<String> verified = ConcurrentHashMap.newKeySet();

  static boolean isBcryptHash(String secret) {
    return BCRYPT.matcher(secret).matches();
  }

  /** A new bcrypt hash of {@code plaintext}; {@code null} when it is too long for bcrypt (72 bytes). */
  static String hash(String plaintext) {
    if (plaintext.getBytes(StandardCharsets.UTF_8).length > MAX_BCRYPT_BYTES) {
      return null;
    }
    return BCrypt.withDefaults().hashToString(10, plaintext.toCharArray());
  }

  /**
   * True when {@code presented} is known to match without bcrypt: a plaintext secret (compared in constant
   * time), or a key that already passed bcrypt against this hash. Such a check reveals nothing a normal
   * one would not, so it needs no admission by the {@link LoginFailures}.
   */
  boolean isKnownMatch(String presented, String secret) {
    if (presented == null || presented.isEmpty() || secret.isEmpty()) {
      return false;
    }
    byte[] presentedDigest = sha256(presented);
    if (!isBcryptHash(secret)) {
      return MessageDigest.isEqual(presentedDigest, sha256(secret));
    }
    return verified.contains(secret + ' ' + java.util.HexFormat.of().formatHex(presentedDigest));
  }

  boolean matches(String presented, String secret) {
    if (presented == null || presented.isEmpty() || secret.isEmpty()) {
      return false;
    }
    byte[] presentedDigest = sha256(presented);
    if (!isBcryptHash(secret)) {
      return MessageDigest.isEqual(presentedDigest, sha256(secret));
    }
    String remembered = secret + ' ' + java.util.HexFormat.of().formatHex(presentedDigest);
    if (verified.contains(remembered)) {
      return true;
    }
    byte[] bytes = presented.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_BCRYPT_BYTES) {
      return false;
    }
    boolean ok = BCrypt.verifyer().verify(bytes, secret.getBytes(StandardCharsets.UTF_8)).verified;
    if (ok) {
      if (verified.size() >= REMEMBERED) {
        verified.clear();
      }
      verified.add(remembered);
    }
    return ok;
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
