package dev.llmproxy.auth;

import dev.llmproxy.config.AddressRange;
import dev.llmproxy.config.RemoteManagementConfig;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

/**
 * Decides who is calling, for every check that depends on the caller being on this machine (management
 * without {@code allow-remote}, the example client key). The client is the container's remote address;
 * only when that peer is one of {@code remote-management.trusted-proxies} is {@code X-Forwarded-For} read,
 * right to left, skipping further trusted proxies, so a client cannot claim to be local by sending the
 * header itself; a trusted proxy that sends no {@code X-Forwarded-For} leaves the client unknown, never local, and so
 * does an untrusted loopback peer that sends a forwarding header (a proxy on this host nobody listed).
 * Only loopback addresses (127.0.0.0/8, ::1) are local. Immutable and stateless.
 */
public final class ClientAddressPolicy {
  private ClientAddressPolicy() {}

  /** The address of whoever sent {@code request}, as text; never a loopback one unless the caller is local. */
  public static String clientAddress(HttpServletRequest request, List<AddressRange> trustedProxies) {
    boolean relayed = request.getHeader("X-Forwarded-For") != null || request.getHeader("Forwarded") != null
        || request.getHeader("X-Real-IP") != null;
    return clientAddress(request.getRemoteAddr(), request.getHeaders("X-Forwarded-For"), relayed, trustedProxies);
  }

  /**
   * The client address as text, as the management lockout counts it.
   *
   * @param relayed whether the request names a client of a proxy ({@code X-Forwarded-For}, {@code Forwarded},
   *     {@code X-Real-IP})
   */
  static String clientAddress(String remoteAddr, Enumeration<String> forwardedFor, boolean relayed,
      List<AddressRange> trustedProxies) {
    String client = strip(remoteAddr);
    if (!isTrusted(client, trustedProxies)) {
      // A loopback peer naming someone else's address is a proxy on this host that nobody listed as trusted
      // (nginx in front of Tomcat): its callers are not local, and which one it relays is not known.
      return relayed && isLoopback(client) ? "unknown via " + client : client;
    }
    List<String> hops = new ArrayList<>();
    while (forwardedFor != null && forwardedFor.hasMoreElements()) {
      for (String hop : forwardedFor.nextElement().split(",")) {
        if (!hop.isBlank()) {
          hops.add(strip(hop.trim()));
        }
      }
    }
    if (hops.isEmpty()) {
      // A trusted proxy that names no client (no X-Forwarded-For; Forwarded is not read) is most often
      // one on this host, whose own address is loopback: taking it would make every caller it relays
      // local. Unknown is the safe answer: never loopback, and such callers share one lockout count.
      return "unknown via " + client;
    }
    for (int i = hops.size() - 1; i >= 0; i--) {
      String hop = hops.get(i);
      if (AddressRange.parseLiteral(hop) == null) {
        return hop; // garbage in the header: never loopback, locks out only itself
      }
      client = hop;
      if (!isTrusted(hop, trustedProxies)) {
        return hop;
      }
    }
    return client;
  }

  /** True when {@code address} is a loopback literal; names are never resolved. */
  public static boolean isLoopback(String address) {
    InetAddress parsed = AddressRange.parseLiteral(address);
    return parsed != null && parsed.isLoopbackAddress();
  }

  /** True when {@code address} is loopback, or any address when remote management is allowed. */
  public static boolean isAllowed(String address, RemoteManagementConfig config) {
    return config.allowRemote() || isLoopback(address);
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
