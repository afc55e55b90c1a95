package dev.llmproxy.it;

import static dev.llmproxy.it.GatewayHttp.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.SseEvent;
import dev.llmproxy.testing.SseEvents;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Deploy, serve, undeploy, redeploy on Jetty 12 through its hot deployer (a context XML appears in and
 * disappears from {@code webapps/}), asserting with a thread dump of the Jetty JVM that no gateway
 * thread survives undeploy. Jetty has no leak detector of its own; {@link TomcatRedeployIT} covers that.
 */
class JettyRedeployIT {
  private static final List<String> GATEWAY_THREAD_PREFIXES = List.of("llm-proxy-", "idle-connection-evictor",
      "lettuce-", "globalEventExecutor", "nioEventLoop", "threadDeathWatcher", "ObjectCleaner");

  private final GatewayHttp http = new GatewayHttp();

  @Test
  void undeployLeavesNoGatewayThreadAndRedeployServesAgain() throws Exception {
    try (FakeUpstream upstream = new FakeUpstream().start()) {
      java.nio.file.Path configDir = ContainerProcess.WORK.resolve("jetty-12-redeploy-config");
      ContainerProcess.deleteRecursively(configDir);
      TestConfigs.standard(configDir, upstream);
      Deployment app = new Deployment("/llm-proxy", configDir, Deployment.Security.NONE);
      try (JettyProcess jetty = new JettyProcess("jetty-12-redeploy", ContainerProcess.distribution("llmproxy.jetty.home"),
          List.of(app), List.of("jetty.deploy.scanInterval=1"))) {
        jetty.start();
        serve(jetty);
        assertTrue(gatewayThreads(jetty).stream().anyMatch(t -> t.startsWith("llm-proxy-upstream-")),
            "serving should have started upstream reactor threads (else this test proves nothing)");

        jetty.undeploy(app);
        awaitLogCount(jetty, "llm-proxy stopped at context path '/llm-proxy'", 1);
        awaitNoGatewayThreads(jetty);

        jetty.deploy(app);
        jetty.awaitHealthy("/llm-proxy");
        serve(jetty);
        jetty.undeploy(app);
        awaitLogCount(jetty, "llm-proxy stopped at context path '/llm-proxy'", 2);
        awaitNoGatewayThreads(jetty);
      }
    }
  }

  private void serve(ContainerProcess container) throws Exception {
    HttpResponse<String> chat = http.post(container.uri("/llm-proxy", "/v1/chat/completions"), GatewayHttp.CHAT,
        "Authorization", bearer(TestConfigs.CLIENT_KEY));
    assertEquals(200, chat.statusCode(), chat.body());
    HttpResponse<InputStream> stream = http.postStream(container.uri("/llm-proxy", "/v1/chat/completions"),
        "Authorization", bearer(TestConfigs.CLIENT_KEY));
    try (SseEvents events = SseEvents.of(stream)) {
      List<SseEvent> all = events.remaining(Duration.ofSeconds(10));
      String last = all.isEmpty() ? null : all.get(all.size() - 1).data();
      assertEquals("[DONE]", last);
    }
  }

  /** The stop message is logged when contextDestroyed has returned, i.e. after it joined its threads. */
  private static void awaitLogCount(ContainerProcess container, String text, int count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (container.log().split(java.util.regex.Pattern.quote(text), -1).length - 1 >= count) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no undeploy within 20 s: '" + text + "' x" + count + "\n" + container.tail(30));
  }

  /** The stop message precedes a few lines of Jetty's own shutdown; allow it one second. */
  private static void awaitNoGatewayThreads(ContainerProcess container) throws Exception {
    List<String> left = gatewayThreads(container);
    for (int i = 0; i < 10 && !left.isEmpty(); i++) {
      Thread.sleep(100);
      left = gatewayThreads(container);
    }
    assertEquals(List.of(), left, "gateway threads left after undeploy");
  }

  private static List<String> gatewayThreads(ContainerProcess container) throws Exception {
    return container.threadNames().stream()
        .filter(t -> GATEWAY_THREAD_PREFIXES.stream().anyMatch(t::startsWith)).sorted().toList();
  }
}
