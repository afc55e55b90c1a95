package dev.llmproxy.upstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.llmproxy.config.UpstreamAddresses;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hc.client5.http.DnsResolver;
import org.junit.jupiter.api.Test;

class GuardedDnsResolverTest {
  /** A DNS that answers what the test says and records what it was asked. */
  private static final class FakeDns implements DnsResolver {
    final List<String> asked = new ArrayList<>();
    final InetAddress[] answer;

    FakeDns(String... addresses) throws UnknownHostException {
      answer = new InetAddress[addresses.length];
      for (int i = 0; i < addresses.length; i++) {
        answer[i] = InetAddress.getByName(addresses[i]);
      }
    }

    @Override
    public InetAddress[] resolve(String host) {
      asked.add(host);
      return answer;
    }

    @Override
    public String resolveCanonicalHostname(String host) {
      return host;
    }
  }

  @Test
  void aNameResolvingToAMetadataAddressAmongOthersIsRefusedWhole() throws Exception {
    FakeDns dns = new FakeDns("203.0.113.10", "169.254.169.254");
    GuardedDnsResolver resolver = new GuardedDnsResolver(new UpstreamAddresses(true), dns);

    UnknownHostException e = assertThrows(UnknownHostException.class, () -> resolver.resolve("rebind.example", 443));

    assertEquals("blocked address: upstream host rebind.example refused, 169.254.169.254 is a link-local address "
        + "(169.254.0.0/16, fe80::/10), where cloud metadata services answer", e.getMessage());
  }

  @Test
  void privateAddressesPassUnlessRestricted() throws Exception {
    FakeDns dns = new FakeDns("10.0.0.5");

    assertArrayEquals(dns.answer, new GuardedDnsResolver(new UpstreamAddresses(true), dns).resolve("vllm.internal"));
    UnknownHostException e = assertThrows(UnknownHostException.class,
        () -> new GuardedDnsResolver(new UpstreamAddresses(false), dns).resolve("vllm.internal"));
    assertEquals("blocked address: upstream host vllm.internal refused, 10.0.0.5 is a loopback, private or shared "
        + "address and upstream.allow-private-addresses is false", e.getMessage());
  }

  @Test
  void metadataNamesAreRefusedWithoutAsking() throws Exception {
    FakeDns dns = new FakeDns("203.0.113.10");

    assertThrows(UnknownHostException.class,
        () -> new GuardedDnsResolver(new UpstreamAddresses(true), dns).resolve("metadata.google.internal"));
    assertEquals(List.of(), dns.asked);
  }
}
