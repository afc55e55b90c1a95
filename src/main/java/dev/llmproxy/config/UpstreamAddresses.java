package dev.llmproxy.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which addresses the gateway may open upstream connections to, so a {@code base-url} or {@code
 * proxy-url} cannot make it fetch from the cloud's metadata service (instance credentials) or, when
 * restricted, from the private network. Always refused: link-local addresses (169.254.0.0/16,
 * fe80::/10, where AWS, GCP, Azure, OpenStack and others answer at 169.254.169.254), the other known
 * metadata addresses (AWS fd00:ec2::254, Alibaba 100.100.100.200, Oracle 192.0.0.192) and metadata
 * host names. With {@code upstream.allow-private-addresses: false} also loopback, unspecified
 * (0.0.0.0/8, ::), private (10/8, 172.16/12, 192.168/16, fc00::/7, fec0::/10) and shared
 * (100.64/10) addresses. An IPv6 address that embeds an IPv4 one (::a.b.c.d, NAT64 64:ff9b::/96) is
 * judged by that. Used at load time on literal hosts and names, and at connect time on every resolved
 * address (so DNS rebinding gains nothing). Immutable.
 *
 * @param allowPrivate whether loopback, private and shared addresses are allowed (the default: self-hosted
 *     models live there)
 */
public record UpstreamAddresses(boolean allowPrivate) {
  /** Only what is always refused: for outbound proxies, which usually live on the private network. */
  public static final UpstreamAddresses PROXIES = new UpstreamAddresses(true);

  private static final Set<String> METADATA_NAMES = Set.of("metadata.google.internal", "metadata.goog", "metadata",
      "instance-data", "instance-data.ec2.internal", "metadata.tencentyun.com");
  private static final List<AddressRange> METADATA = List.of(AddressRange.parse("fd00:ec2::254"),
      AddressRange.parse("100.100.100.200"), AddressRange.parse("192.0.0.192"));
  private static final List<AddressRange> SHARED_AND_PRIVATE = List.of(AddressRange.parse("0.0.0.0/8"),
      AddressRange.parse("100.64.0.0/10"), AddressRange.parse("fc00::/7"));
  private static final AddressRange NAT64 = AddressRange.parse("64:ff9b::/96");

  /** Why a connection to {@code address} is refused; {@code null} when it is allowed. */
  public String refusal(InetAddress address) {
    InetAddress judged = embeddedIpv4(address);
    String shown = address.getHostAddress();
    for (AddressRange range : METADATA) {
      if (range.contains(judged)) {
        return shown + " is a cloud metadata service address";
      }
    }
    if (judged.isLinkLocalAddress()) {
      return shown + " is a link-local address (169.254.0.0/16, fe80::/10), where cloud metadata services answer";
    }
    if (!allowPrivate && isPrivate(judged)) {
      return shown + " is a loopback, private or shared address and upstream.allow-private-addresses is false";
    }
    return null;
  }

  /**
   * Why {@code host} (a name or an IP literal, as written in a URL) is refused before any lookup: a
   * refused literal (IPv4 also in the forms an outbound proxy's resolver reads, {@link NumericIpv4Host}) or a
   * metadata name; {@code null} for anything else, which is judged when resolved.
   */
  public String refusalOfHost(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    if (METADATA_NAMES.contains(name)) {
      return host + " is a cloud metadata service";
    }
    // Two readings of a numeric host can differ ("012.0.0.1": Java reads 12.0.0.1, a proxy's resolver octal
    // 10.0.0.1), and either may be the one connected to: a direct connection uses Java's, an http:// proxy its own.
    for (InetAddress reading : new InetAddress[] {AddressRange.parseLiteral(name), NumericIpv4Host.parse(name)}) {
      String refusal = reading == null ? null : refusal(reading);
      if (refusal != null) {
        return refusal;
      }
    }
    return null;
  }

  private static boolean isPrivate(InetAddress a) {
    if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isSiteLocalAddress()) {
      return true;
    }
    for (AddressRange range : SHARED_AND_PRIVATE) {
      if (range.contains(a)) {
        return true;
      }
    }
    return false;
  }

  /** The IPv4 address inside an IPv4-compatible or NAT64 IPv6 address; else the address itself. */
  private static InetAddress embeddedIpv4(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address;
    }
    byte[] b = address.getAddress();
    boolean compatible = true;
    for (int i = 0; i < 12; i++) {
      compatible &= b[i] == 0;
    }
    if (!(compatible && !address.isLoopbackAddress() && !address.isAnyLocalAddress()) && !NAT64.contains(address)) {
      return address;
    }
    try {
      return (Inet4Address) InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are an IPv4 address", e);
    }
  }
}
