package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.LogCapture;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Upstream addresses are judged where the connection is made, on the address a name resolves to: with
 * {@code upstream.allow-private-addresses: false}, a provider named {@code localhost} (which the load-time
 * check cannot judge, as it is a name) resolves to a loopback address, is refused at connect time, and
 * the fake listening there is never reached. The same name with the default settings is served.
 */
class BlockedUpstreamAddressIT {
  @RegisterExtension
  static final UpstreamAndGateway setup = new UpstreamAndGateway(upstream -> """
      api-keys: ["team-key-1"]
      upstream:
        allow-private-addresses: false
      openai-compatibility:
        - name: blocked
          base-url: http://localhost:%d/v1
          api-key-entries: [{api-key: k}]
          models: [{name: m, alias: blocked-model}]
      """.formatted(upstream.port()));
  static final FakeUpstream upstream = setup.upstream();
  static final GatewayServer gateway = setup.gateway();

  private final GatewayClient client = setup.client();

  @Test
  void aNameThatResolvesToABlockedAddressGets502AndTheUpstreamIsNeverReached() {
    HttpResponse<String> response;
    List<String> logged;
    try (LogCapture log = new LogCapture()) {
      response = client.chat("blocked-model");
      logged = log.lines();
    }

    assertEquals(502, response.statusCode(), response.body());
    assertTrue(response.body().contains("\"code\":\"upstream_unavailable\""), response.body());
    assertEquals(List.of(), upstream.requests());
    assertTrue(logged.stream().anyMatch(l -> l.contains("blocked address: upstream host localhost refused, ")
        && l.contains("upstream.allow-private-addresses is false")), String.join("", logged));
  }

  @Test
  void theSameNameIsServedWhenPrivateAddressesAreAllowed() {
    try (GatewayServer allowing = GatewayServer.builder().config("""
        api-keys: ["team-key-1"]
        openai-compatibility:
          - name: allowed
            base-url: http://localhost:%d/v1
            api-key-entries: [{api-key: k}]
            models: [{name: m, alias: allowed-model}]
        """.formatted(upstream.port())).build().start()) {
      HttpResponse<String> response = new GatewayClient(allowing).chat("allowed-model");

      assertEquals(200, response.statusCode(), response.body());
      assertEquals(1, upstream.requests().size());
    }
  }
}
