package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.testing.GatewayServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the webapp serves outside its APIs, in a Jetty {@code WebAppContext} with Jetty's default
 * descriptor, as {@code mvn jetty:run} deploys it: no directory listing at the root.
 */
class WebappDefaultsIT {
  @RegisterExtension
  static final GatewayServer gateway = GatewayServer.builder().config("api-keys: [\"team-key-1\"]\n").build();

  private final GatewayClient client = new GatewayClient(gateway);

  @Test
  void theRootListsNoDirectory() {
    for (String path : new String[] {"/", "/WEB-INF/", "/v0/"}) {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(gateway.uri(path)).GET().build());
      assertTrue(r.statusCode() == 403 || r.statusCode() == 404, path + ": " + r.statusCode() + " " + r.body());
      // Jetty's listing says "Directory: /", Tomcat's "Directory Listing For /"
      assertFalse(r.body().contains("Directory"), path + ": " + r.body());
    }
  }
}
