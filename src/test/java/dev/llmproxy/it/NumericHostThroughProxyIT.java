package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.HttpProxyProcess;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Behind an {@code http://} proxy the proxy resolves the upstream's host, so the gateway's connect-time check never
 * sees the address; the load-time check must read the host as the proxy will. tinyproxy (C, {@code inet_aton}-style
 * parsing) reads {@code 2130706433} as 127.0.0.1: with private addresses allowed the fake upstream there answers
 * through it, and with {@code upstream.allow-private-addresses: false} the same config is refused when it loads
 * instead of reaching loopback through the proxy.
 */
class NumericHostThroughProxyIT {
  /** 127.0.0.1 as one decimal number. */
  private static final String LOOPBACK_AS_NUMBER = "2130706433";

  @RegisterExtension
  static final FakeUpstream upstream = new FakeUpstream();

  static final HttpProxyProcess httpProxy = HttpProxyProcess.start();

  @AfterAll
  static void stopProxy() {
    httpProxy.close();
  }

  private static String config(boolean allowPrivate) {
    return """
        api-keys: ["team-key-1"]
        usage:
          store: memory
        upstream:
          allow-private-addresses: %s
        openai-compatibility:
          - name: numeric
            base-url: http://%s:%d/v1
            api-key-entries: [{api-key: k, proxy-url: "%s"}]
            models: [{name: m, alias: numeric-model}]
        """.formatted(allowPrivate, LOOPBACK_AS_NUMBER, upstream.port(), httpProxy.url());
  }

  @Test
  void theProxyReadsTheNumberAsLoopbackSoItIsServedWhenPrivateAddressesAreAllowed() {
    try (GatewayServer gateway = GatewayServer.builder().config(config(true)).build().start()) {
      HttpResponse<String> response = new GatewayClient(gateway).chat("numeric-model");

      assertEquals(200, response.statusCode(), response.body());
      assertEquals(1, upstream.requests().size(), "the fake upstream on 127.0.0.1 answered through the proxy");
    } finally {
      upstream.clearRequests();
    }
  }

  @Test
  void theSameHostIsRefusedWhenTheConfigLoadsIfPrivateAddressesAreNot() throws Exception {
    try (GatewayServer gateway = GatewayServer.builder().config(config(false)).build().start()) {
      GatewayClient client = new GatewayClient(gateway);
      HttpResponse<String> response = client.chat("numeric-model");
      HttpResponse<String> health = client.send(HttpRequest.newBuilder(gateway.uri("/healthz")).GET().build());

      assertEquals(503, response.statusCode(), response.body());
      assertTrue(response.body().contains("\"not_configured\""), response.body());
      assertTrue(health.body().contains("openai-compatibility[0].base-url: 'http://" + LOOPBACK_AS_NUMBER + ":"
          + upstream.port() + "/v1' is refused: 127.0.0.1 is a loopback, private or shared address"), health.body());
      assertEquals(List.of(), upstream.requests(), "nothing reached loopback through the proxy");
    }
  }
}
