package dev.llmproxy.upstream;

import dev.llmproxy.config.UpstreamAddresses;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;

/**
 * The DNS resolver of every upstream connection pool: resolves as the system does, then refuses the
 * whole answer if any address in it is one {@link UpstreamAddresses} refuses, so a name that resolves
 * (or re-resolves, as in DNS rebinding) to a metadata or, when restricted, a private address never gets
 * a connection. HttpClient resolves through it for literal IPs too. The refusal is a {@link
 * BlockedAddressException}, which fails the attempt like any connect failure (502, or the next key).
 * With an {@code http://} proxy it resolves only the proxy's name (the proxy resolves the upstream's),
 * so such pools get {@link UpstreamAddresses#PROXIES}. Immutable.
 */
final class GuardedDnsResolver implements DnsResolver {
  private final UpstreamAddresses allowed;
  private final DnsResolver system;

  GuardedDnsResolver(UpstreamAddresses allowed) {
    this(allowed, SystemDefaultDnsResolver.INSTANCE);
  }

  GuardedDnsResolver(UpstreamAddresses allowed, DnsResolver system) {
    this.allowed = allowed;
    this.system = system;
  }

  @Override
  public InetAddress[] resolve(String host) throws UnknownHostException {
    String named = allowed.refusalOfHost(host);
    if (named != null) {
      throw new BlockedAddressException(host, named);
    }
    InetAddress[] addresses = system.resolve(host);
    for (InetAddress address : addresses) {
      String refusal = allowed.refusal(address);
      if (refusal != null) {
        throw new BlockedAddressException(host, refusal);
      }
    }
    return addresses;
  }

  @Override
  public String resolveCanonicalHostname(String host) throws UnknownHostException {
    return system.resolveCanonicalHostname(host);
  }

  /** A connection refused because of where it would go; the message starts with "blocked address". */
  static final class BlockedAddressException extends UnknownHostException {
    BlockedAddressException(String host, String reason) {
      super("blocked address: upstream host " + host + " refused, " + reason);
    }
  }
}
