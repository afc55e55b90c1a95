package dev.llmproxy.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.config.AddressRange;
import dev.llmproxy.config.RemoteManagementConfig;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressPolicyTest {
  private static RemoteManagementConfig config(boolean allowRemote, String... trusted) {
    return new RemoteManagementConfig("secret", allowRemote, null, null, Duration.ofMinutes(30),
        List.of(trusted).stream().map(AddressRange::parse).toList());
  }

  private static String client(String remote, RemoteManagementConfig config, String... forwardedFor) {
    return ClientAddressPolicy.clientAddress(remote, Collections.enumeration(List.of(forwardedFor)),
        forwardedFor.length > 0, config.trustedProxies());
  }

  @Test
  void onlyLoopbackAddressesAreAllowedWithoutAllowRemote() {
    RemoteManagementConfig local = config(false);

    assertTrue(ClientAddressPolicy.isAllowed("127.0.0.1", local));
    assertTrue(ClientAddressPolicy.isAllowed("127.0.0.2", local));
    assertTrue(ClientAddressPolicy.isAllowed("::1", local));
    assertTrue(ClientAddressPolicy.isAllowed("[0:0:0:0:0:0:0:1]", local));
    assertFalse(ClientAddressPolicy.isAllowed("10.1.2.3", local));
    assertFalse(ClientAddressPolicy.isAllowed("::ffff:10.1.2.3", local));
    assertFalse(ClientAddressPolicy.isAllowed("localhost", local), "names are never resolved");
    assertTrue(ClientAddressPolicy.isAllowed("10.1.2.3", config(true)));
  }

  @Test
  void forwardedForIsIgnoredFromAnUntrustedPeer() {
    assertEquals("10.0.0.5", client("10.0.0.5", config(false, "10.0.0.1"), "127.0.0.1"));
    assertEquals("127.0.0.1", client("127.0.0.1", config(false)));
  }

  @Test
  void anUntrustedLoopbackPeerNamingAClientIsAProxyOnThisHostAndItsCallersAreNotLocal() {
    String client = client("127.0.0.1", config(false), "203.0.113.7");
    assertEquals("unknown via 127.0.0.1", client);
    assertFalse(ClientAddressPolicy.isAllowed(client, config(false)));
    assertEquals("unknown via ::1", ClientAddressPolicy.clientAddress("::1", Collections.emptyEnumeration(), true,
        List.of()), "Forwarded or X-Real-IP alone say it too");
  }

  @Test
  void aTrustedProxyForwardsTheRightmostUntrustedAddress() {
    RemoteManagementConfig behindProxies = config(false, "10.0.0.0/8");

    assertEquals("203.0.113.7", client("10.0.0.1", behindProxies, "203.0.113.7"));
    assertEquals("203.0.113.7", client("10.0.0.1", behindProxies, "127.0.0.1, 203.0.113.7, 10.0.0.9"),
        "a client-supplied leftmost entry cannot make it loopback");
    assertEquals("not-an-ip", client("10.0.0.1", behindProxies, "not-an-ip"));
  }

  @Test
  void aTrustedProxyThatNamesNoClientLeavesItUnknownNeverLoopback() {
    RemoteManagementConfig behindLocalProxy = config(false, "127.0.0.1");

    String client = client("127.0.0.1", behindLocalProxy);
    assertEquals("unknown via 127.0.0.1", client);
    assertFalse(ClientAddressPolicy.isAllowed(client, behindLocalProxy));
    assertFalse(ClientAddressPolicy.isLoopback(client("127.0.0.1", behindLocalProxy, " ")), "a blank header names none");
    assertTrue(ClientAddressPolicy.isLoopback(client("127.0.0.1", behindLocalProxy, "127.0.0.1")),
        "a local client the proxy names stays local");
    assertEquals("127.0.0.1", client("127.0.0.1", config(false)), "no trusted proxy: the peer itself");
  }

  @Test
  void rangesMatchByPrefix() {
    assertTrue(AddressRange.parse("10.0.0.0/8").contains(AddressRange.parseLiteral("10.255.1.2")));
    assertFalse(AddressRange.parse("10.0.0.0/9").contains(AddressRange.parseLiteral("10.128.0.1")));
    assertTrue(AddressRange.parse("fd00::/8").contains(AddressRange.parseLiteral("fd12::1")));
    assertFalse(AddressRange.parse("127.0.0.1").contains(AddressRange.parseLiteral("::1")));
    assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("proxy.internal"));
    assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("10.0.0.0/33"));
  }
}
