package dev.llmproxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UpstreamAddressesTest {
  private static final UpstreamAddresses DEFAULT = new UpstreamAddresses(true);
  private static final UpstreamAddresses RESTRICTED = new UpstreamAddresses(false);

  private static String verdict(UpstreamAddresses policy, String address) throws Exception {
    String refusal = policy.refusal(InetAddress.getByName(address));
    if (refusal == null) {
      return "allowed";
    }
    return refusal.contains("metadata service address") ? "metadata"
        : refusal.contains("link-local") ? "link-local" : "private";
  }

  @ParameterizedTest(name = "{0}: {1} by default, {2} when restricted")
  @CsvSource({
      "169.254.169.254, link-local, link-local",
      "169.254.170.2, link-local, link-local",
      "fe80::1, link-local, link-local",
      "::ffff:169.254.169.254, link-local, link-local",
      "64:ff9b::a9fe:a9fe, link-local, link-local",
      "::a9fe:a9fe, link-local, link-local",
      "fd00:ec2::254, metadata, metadata",
      "100.100.100.200, metadata, metadata",
      "192.0.0.192, metadata, metadata",
      "127.0.0.1, allowed, private",
      "::1, allowed, private",
      "0.0.0.0, allowed, private",
      "10.1.2.3, allowed, private",
      "172.16.0.1, allowed, private",
      "192.168.1.20, allowed, private",
      "100.64.0.7, allowed, private",
      "fd12:3456::1, allowed, private",
      "64:ff9b::a00:1, allowed, private",
      "8.8.8.8, allowed, allowed",
      "2606:4700::1111, allowed, allowed",
      "172.32.0.1, allowed, allowed"})
  void classifiesAddresses(String address, String byDefault, String restricted) throws Exception {
    assertEquals(byDefault, verdict(DEFAULT, address));
    assertEquals(restricted, verdict(RESTRICTED, address));
  }

  @ParameterizedTest
  @CsvSource({"metadata.google.internal", "METADATA.GOOGLE.INTERNAL.", "metadata.goog", "metadata", "instance-data",
      "instance-data.ec2.internal"})
  void refusesMetadataNamesBeforeAnyLookup(String host) {
    assertEquals(host + " is a cloud metadata service", DEFAULT.refusalOfHost(host));
  }

  @ParameterizedTest
  @CsvSource({"api.openai.com", "localhost", "metadata.example.com"})
  void leavesOtherNamesToTheResolvedAddress(String host) {
    assertNull(DEFAULT.refusalOfHost(host));
  }

  @ParameterizedTest
  @CsvSource({"169.254.169.254", "fd00:ec2::254"})
  void judgesLiteralHostsAtOnce(String host) {
    assertEquals(DEFAULT.refusal(AddressRange.parseLiteral(host)), DEFAULT.refusalOfHost(host));
  }
}
