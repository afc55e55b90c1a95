package dev.llmproxy.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Reads a host written as one of the other IPv4 forms C resolvers ({@code inet_aton}) and therefore most outbound
 * proxies accept: one to four parts, each decimal, octal ({@code 0}-prefixed) or hexadecimal ({@code 0x}), the last
 * filling the remaining bytes. So {@code 2852039166}, {@code 0xa9fea9fe}, {@code 0251.0376.0251.0376} and {@code
 * 169.254.43518} all name 169.254.169.254. Java's own parsing takes only some of these, and behind an {@code http://}
 * proxy the proxy resolves the host, so the load-time check must read them as the proxy will. Stateless.
 */
final class NumericIpv4Host {
  private NumericIpv4Host() {}

  /** The IPv4 address {@code host} names in one of those forms; {@code null} when it is not one. */
  static InetAddress parse(String host) {
    String[] parts = host.split("\\.", -1);
    if (parts.length > 4) {
      return null;
    }
    long[] values = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      values[i] = number(parts[i]);
      if (values[i] < 0) {
        return null;
      }
    }
    long address = 0;
    for (int i = 0; i < parts.length - 1; i++) {
      if (values[i] > 0xff) {
        return null;
      }
      address |= values[i] << (24 - 8 * i);
    }
    long last = values[parts.length - 1];
    int lastBits = 32 - 8 * (parts.length - 1);
    if (last >= 1L << lastBits) {
      return null;
    }
    address |= last;
    byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are an IPv4 address", e);
    }
  }

  /** One part's value, or -1 when it is no number in these forms (or beyond 32 bits). */
  private static long number(String part) {
    int radix = 10;
    String digits = part;
    if (part.length() > 2 && (part.startsWith("0x") || part.startsWith("0X"))) {
      radix = 16;
      digits = part.substring(2);
    } else if (part.length() > 1 && part.startsWith("0")) {
      radix = 8;
      digits = part.substring(1);
    }
    if (digits.isEmpty() || digits.length() > 11) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < digits.length(); i++) {
      int digit = Character.digit(digits.charAt(i), radix);
      if (digit < 0) {
        return -1;
      }
      value = value * radix + digit;
    }
    return value > 0xffffffffL ? -1 : value;
  }
}
