package dev.llmproxy.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmproxy.config.ClientKeyConfig;
import dev.llmproxy.config.LimitsConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientKeysTest {
  private static final LimitsConfig RPM = new LimitsConfig(List.of(), 5, null, null, null, null, false);
  private final ClientKeys keys = new ClientKeys(List.of(ClientKeyConfig.plain("plain-key-0001"),
      new ClientKeyConfig("", ClientKeyConfig.sha256Hex("hashed-key-0002"), "team-b", RPM)));

  @Test
  void findsKeysGivenInClearAndKeysGivenAsTheirHashAlike() {
    ClientKeys.Match plain = keys.find("plain-key-0001");
    assertEquals("key plai...0001", plain.identity().toString());
    assertNull(plain.identity().limits(), "no limits to apply");
    ClientKeys.Match hashed = keys.find("hashed-key-0002");
    assertEquals("key team-b", hashed.identity().toString());
    assertEquals(RPM, hashed.identity().limits());
    assertEquals("key:" + ClientKeyConfig.sha256Hex("hashed-key-0002").substring(0, 16), hashed.identity().limitId());
  }

  @Test
  void anythingElseIsNotFound() {
    assertNull(keys.find("plain-key-0002"));
    assertNull(keys.find(ClientKeyConfig.sha256Hex("hashed-key-0002")), "the hash itself is no key");
    assertNull(keys.find(""));
    assertNull(keys.find(null));
  }

  @Test
  void theIdentityIsBuiltOncePerSnapshot() {
    assertEquals(System.identityHashCode(keys.find("plain-key-0001").identity()),
        System.identityHashCode(keys.find("plain-key-0001").identity()));
  }
}
