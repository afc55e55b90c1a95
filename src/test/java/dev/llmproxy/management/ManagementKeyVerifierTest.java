package dev.llmproxy.management;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import at.favre.lib.crypto.bcrypt.BCrypt;
import org.junit.jupiter.api.Test;

class ManagementKeyVerifierTest {
  private final ManagementKeyVerifier verifier = new ManagementKeyVerifier();

  @Test
  void verifiesTheKeyAgainstItsBcryptHash() {
    String hash = ManagementKeyVerifier.hash("s3cret-key");

    assertTrue(ManagementKeyVerifier.isBcryptHash(hash));
    assertTrue(verifier.matches("s3cret-key", hash));
    assertTrue(verifier.matches("s3cret-key", hash), "again, from the remembered digest");
    assertFalse(verifier.matches("s3cret-kez", hash));
    assertFalse(verifier.matches("", hash));
  }

  @Test
  void acceptsHashesOfEveryBcryptVersionCliProxyApiOrOthersWrite() {
    for (BCrypt.Version version : new BCrypt.Version[] {BCrypt.Version.VERSION_2A, BCrypt.Version.VERSION_2B,
        BCrypt.Version.VERSION_2Y}) {
      String hash = BCrypt.with(version).hashToString(4, "k".toCharArray());
      assertTrue(verifier.matches("k", hash), hash);
    }
  }

  @Test
  void comparesAPlaintextSecretFromTheEnvironmentDirectly() {
    assertTrue(verifier.matches("from-env", "from-env"));
    assertFalse(verifier.matches("from-envx", "from-env"));
  }

  @Test
  void secretsLongerThanBcryptAllowsAreNotHashed() {
    assertNull(ManagementKeyVerifier.hash("x".repeat(73)));
  }
}
