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

  /** Forms an outbound proxy's resolver reads as 169.254.169.254 (or 127.0.0.1), though they are no Java literal. */
  @ParameterizedTest
  @CsvSource({"2852039166", "0xa9fea9fe", "0XA9FEA9FE", "0251.0376.0251.0376", "0xa9.0xfe.0xa9.0xfe", "169.254.43518",
      "169.16689662", "0251.0xfe.169.254"})
  void refusesTheOtherIpv4FormsOfAMetadataAddressBeforeAnyLookup(String host) {
    assertEquals("169.254.169.254 is a link-local address (169.254.0.0/16, fe80::/10), where cloud metadata services "
        + "answer", DEFAULT.refusalOfHost(host));
  }

  @ParameterizedTest
  @CsvSource({"2130706433", "0x7f000001", "017700000001", "127.1"})
  void readsTheOtherIpv4FormsOfLoopbackAsLoopback(String host) {
    assertNull(DEFAULT.refusalOfHost(host));
    assertEquals("127.0.0.1 is a loopback, private or shared address and upstream.allow-private-addresses is false",
        RESTRICTED.refusalOfHost(host));
  }

  /** A dotted quad with leading zeros: Java reads decimal 12.0.0.1, a proxy's resolver octal 10.0.0.1. */
  @ParameterizedTest
  @CsvSource({"012.0.0.1", "012.000.000.001"})
  void judgesAQuadWithLeadingZerosAsAProxyReadsItToo(String host) {
    assertNull(DEFAULT.refusalOfHost(host));
    assertEquals("10.0.0.1 is a loopback, private or shared address and upstream.allow-private-addresses is false",
        RESTRICTED.refusalOfHost(host));
  }

  /** Names that only look numeric in part, and numbers beyond IPv4, stay names for the resolver. */
  @ParameterizedTest
  @CsvSource({"0xfg", "08.1.2.3", "1.2.3.4.5", "4294967296", "256.1.2.3", "1.2.65536", "deadbeef", "123.example",
      "0x", "1..2"})
  void leavesWhatIsNoIpv4FormToTheResolvedAddress(String host) {
    assertNull(NumericIpv4Host.parse(host));
    assertNull(RESTRICTED.refusalOfHost(host));
  }
}
