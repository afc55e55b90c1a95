package dev.llmproxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class OutboundProxyTest {

  @ParameterizedTest
  @CsvSource({
      "http://proxy:3128, HTTP, proxy, 3128",
      "http://proxy, HTTP, proxy, 80",
      "socks5://127.0.0.1:1080, SOCKS5, 127.0.0.1, 1080",
      "SOCKS5H://relay, SOCKS5H, relay, 1080"})
  void parsesSchemesHostsAndDefaultPorts(String url, OutboundProxy.Kind kind, String host, int port) {
    OutboundProxy p = OutboundProxy.parse(url);
    assertEquals(kind, p.kind());
    assertEquals(host, p.host());
    assertEquals(port, p.port());
  }

  @Test
  void directAndNoneMeanDirectBlankMeansInherit() {
    assertTrue(OutboundProxy.parse("DIRECT").isDirect());
    assertTrue(OutboundProxy.parse("none").isDirect());
    assertNull(OutboundProxy.parse("  "));
  }

  @Test
  void credentialsAreDecodedAndNeverPrinted() {
    OutboundProxy p = OutboundProxy.parse("socks5://us%40er:p%3Ass@h:1");
    assertEquals("us@er", p.username());
    assertEquals("p:ss", p.password());
    assertEquals("socks5://us@er:<redacted>@h:1", p.toString());
  }

  @Test
  void aPathOrQueryOrAPortOutOfRangeIsRefusedNotDroppedAndNeverShown() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OutboundProxy.parse("http://127.0.0.1:3128/path?token=SECRET"));
    assertFalse(e.getMessage().contains("SECRET"), e.getMessage());
    assertTrue(e.getMessage().contains("has a path or query"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> OutboundProxy.parse("socks5://h:99999"));
    assertEquals(3128, OutboundProxy.parse("http://h:3128/").port(), "a lone slash is no path");
  }

  @Test
  void errorsNeverEchoThePassword() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OutboundProxy.parse("proxy.example.com:3128"));
    assertEquals("'proxy.example.com:3128' is not a proxy URL; expected http://, socks5://, socks5h:// or direct",
        e.getMessage());
    IllegalArgumentException hostless = assertThrows(IllegalArgumentException.class,
        () -> OutboundProxy.parse("http://user:hunter2@/"));
    assertEquals("'http://user:<redacted>@/' has no host", hostless.getMessage());
  }

  @Test
  void httpsProxiesAreRefusedBecauseHttpClientCannotNestTls() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OutboundProxy.parse("https://user:hunter2@proxy.example.com:8443"));
    assertEquals("https:// proxies (TLS to the proxy) are not supported: HttpClient 5 cannot run an https upstream's "
        + "TLS inside a TLS connection to the proxy; use http:// (CONNECT keeps the upstream's TLS end to end) "
        + "or socks5://", e.getMessage());
  }

  @Test
  void poolKeyDistinguishesCredentials() {
    assertTrue(!OutboundProxy.parse("socks5://a:1@h:1").poolKey().equals(OutboundProxy.parse("socks5://a:2@h:1").poolKey()));
    assertEquals("direct", OutboundProxy.DIRECT.poolKey());
  }
}
