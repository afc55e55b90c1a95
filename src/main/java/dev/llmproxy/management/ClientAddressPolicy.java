package dev.llmproxy.management;

import dev.llmproxy.config.AddressRange;
import dev.llmproxy.config.RemoteManagementConfig;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

/**
 * Decides who is calling management and whether that address may. The client is the container's
 * remote address; only when that peer is one of {@code remote-management.trusted-proxies} is
 * {@code X-Forwarded-For} read, right to left, skipping further trusted proxies, so a client cannot
 * claim to be local by sending the header itself. Without {@code allow-remote} only loopback
 * addresses (127.0.0.0/8, ::1) pass. Immutable and stateless.
 */
final class ClientAddressPolicy {
  private ClientAddressPolicy() {}

  /** The client address as text, as the lockout counts it. */
  static String clientAddress(String remoteAddr, Enumeration<String> forwardedFor, RemoteManagementConfig config) {
    String client = strip(remoteAddr);
    if (!isTrusted(client, config.trustedProxies())) {
      return client;
    }
    List<String> hops = new ArrayList<>();
    while (forwardedFor != null && forwardedFor.hasMoreElements()) {
      for (String hop : forwardedFor.nextElement().split(",")) {
        if (!hop.isBlank()) {
          hops.add(strip(hop.trim()));
        }
      }
    }
    for (int i = hops.size() - 1; i >= 0; i--) {
      String hop = hops.get(i);
      if (AddressRange.parseLiteral(hop) == null) {
        return hop; // garbage in the header: never loopback, locks out only itself
      }
      client = hop;
      if (!isTrusted(hop, config.trustedProxies())) {
        return hop;
      }
    }
    return client;
  }

  /** True when {@code address} is loopback, or any address when remote management is allowed. */
  static boolean isAllowed(String address, RemoteManagementConfig config) {
    if (config.allowRemote()) {
      return true;
    }
    InetAddress parsed = AddressRange.parseLiteral(address);
    return parsed != null && parsed.isLoopbackAddress();
  }

  private static boolean isTrusted(String address, List<AddressRange> trusted) {
    InetAddress parsed = AddressRange.parseLiteral(address);
    if (parsed == null) {
      return false;
    }
    for (AddressRange range : trusted) {
      if (range.contains(parsed)) {
        return true;
      }
    }
    return false;
  }

  private static String strip(String address) {
    String s = address == null ? "" : address.trim();
    return s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
  }
}
