package dev.llmproxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RemoteManagementConfigTest {
  private static final ConfigLoader LOADER = new ConfigLoader(Map.<String, String>of()::get);

  private static String fixture(String name) throws IOException {
    try (InputStream in = RemoteManagementConfigTest.class.getResourceAsStream("/config/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void defaultsAreLoopbackOnlyThirtyMinuteLockoutAndNoTrustedProxies() throws ConfigException {
    RemoteManagementConfig config = LOADER.parse("remote-management:\n  secret-key: k\n", "t").remoteManagement();

    assertTrue(config.enabled());
    assertFalse(config.allowRemote());
    assertEquals(Duration.ofMinutes(30), config.lockout());
    assertEquals(List.of(), config.trustedProxies());
    assertFalse(config.toString().contains("k,"), "secret is redacted: " + config);
  }

  @Test
  void everyKeyIsBound() throws Exception {
    RemoteManagementConfig config = LOADER.parse(fixture("remote-management-full.yaml"), "t").remoteManagement();

    assertTrue(config.allowRemote());
    assertEquals(Duration.ofMinutes(5), config.lockout());
    assertEquals("[10.0.0.0/8, 0:0:0:0:0:0:0:1/128]", config.trustedProxies().toString());
  }

  @Test
  void everyProblemIsReportedWithItsPath() throws Exception {
    ConfigException e = assertThrows(ConfigException.class,
        () -> LOADER.parse(fixture("remote-management-bad.yaml"), "config.yaml"));

    assertEquals("config.yaml has the following errors:\n"
        + "  * remote-management.lockout-minutes: -1 is out of range; expected 0 to 10080\n"
        + "  * remote-management.trusted-proxies[1]: 'proxy.internal' is not an IP address or CIDR block such as 10.0.0.0/8\n"
        + "  * remote-management.trusted-proxy: unknown key; did you mean 'trusted-proxies'?", e.getMessage());
  }
}
