package dev.llmproxy.management;

import dev.llmproxy.config.GatewayConfig;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a plaintext {@code remote-management.secret-key} written in {@code config.yaml} by its bcrypt
 * hash, through {@link ConfigStore} so the rest of the file is kept. A secret given as an {@code ${ENV}}
 * reference stays as it is (the file holds no secret; the key is compared in constant time instead).
 * A file that cannot be written is not tried (the log says what to run); a failed write is logged; either
 * way management keeps working with the plaintext, and the log says it was hashed only once it is.
 */
public final class SecretKeyHasher {
  private static final Logger LOG = LoggerFactory.getLogger(SecretKeyHasher.class);

  private final ConfigStore store;

  public SecretKeyHasher(ConfigStore store) {
    this.store = store;
  }

  /** True when the running secret is not a bcrypt hash, so the file may hold it in plaintext. */
  public static boolean mayNeedHashing(GatewayConfig config) {
    String secret = config.remoteManagement().secretKey();
    return !secret.isEmpty() && !ManagementKeyVerifier.isBcryptHash(secret);
  }

  public void hashPlaintextSecret() {
    String readOnly = store.writeProblem();
    if (readOnly != null) {
      LOG.warn("remote-management.secret-key stays in plaintext in config.yaml: {}", readOnly);
      return;
    }
    boolean[] hashed = {false};
    try {
      store.editLeavingBackup(root -> {
        if (!(root.get("remote-management") instanceof Map<?, ?> section)
            || !(section.get("secret-key") instanceof String secret)) {
          return;
        }
        String plain = secret.trim();
        if (plain.isEmpty() || plain.contains("${") || ManagementKeyVerifier.isBcryptHash(plain)) {
          return;
        }
        String hash = ManagementKeyVerifier.hash(plain);
        if (hash == null) {
          LOG.warn("remote-management.secret-key is longer than bcrypt's 72 bytes; it stays in plaintext");
          return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> writable = (Map<String, Object>) section;
        writable.put("secret-key", hash);
        hashed[0] = true;
      });
      if (hashed[0]) {
        LOG.info("remote-management.secret-key: plaintext replaced by its bcrypt hash in config.yaml");
      }
    } catch (ManagementException e) {
      LOG.warn("Could not replace the plaintext management secret by its hash: {} {}", e.error(),
          e.detail() == null ? "" : e.detail());
    }
  }
}
