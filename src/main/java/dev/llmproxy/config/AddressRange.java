package dev.llmproxy.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * One IP address or CIDR block ({@code 10.0.0.0/8}, {@code 127.0.0.1}, {@code fd00::/8}), as listed in
 * {@code remote-management.trusted-proxies}. Immutable. Only IP literals are accepted: a host name
 * would mean a DNS lookup on every request and a spoofable answer.
 *
 * @param network the block's address with host bits as written
 * @param prefixLength number of leading bits that must match (32 or 128 for a single address)
 */
public record AddressRange(InetAddress network, int prefixLength) {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[\\w.]+)?");

  /** Parses {@code address} or {@code address/prefix}; throws {@link IllegalArgumentException} with a reason. */
  public static AddressRange parse(String text) {
    String s = text.trim();
    int slash = s.indexOf('/');
    String address = slash < 0 ? s : s.substring(0, slash);
    InetAddress network = parseLiteral(address);
    if (network == null) {
      throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block such as 10.0.0.0/8");
    }
    int max = network.getAddress().length * 8;
    int prefix = max;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(s.substring(slash + 1));
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > max) {
        throw new IllegalArgumentException("'" + text + "' has an invalid prefix length; expected 0 to " + max);
      }
    }
    return new AddressRange(network, prefix);
  }

  /**
   * Parses an IP literal without ever consulting DNS; {@code null} when {@code text} is not one.
   * Accepts IPv6 in brackets (as some containers report it); IPv4-mapped IPv6 becomes IPv4.
   */
  public static InetAddress parseLiteral(String text) {
    if (text == null) {
      return null;
    }
    String s = text.trim();
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    if (!IPV4.matcher(s).matches() && !IPV6.matcher(s).matches()) {
      return null;
    }
    try {
      return InetAddress.getByName(s); // a literal: no lookup happens
    } catch (UnknownHostException e) {
      return null;
    }
  }

  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    byte[] n = network.getAddress();
    if (a.length != n.length) {
      return false;
    }
    int full = prefixLength / 8;
    if (!Arrays.equals(a, 0, full, n, 0, full)) {
      return false;
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xff << (8 - rest);
    return (a[full] & mask) == (n[full] & mask);
  }

  @Override
  public String toString() {
    return network.getHostAddress() + "/" + prefixLength;
  }
}
