package dev.llmproxy.it;

import static dev.llmproxy.it.GatewayHttp.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.OpenAiResponder;
import dev.llmproxy.testing.RedisProcess;
import dev.llmproxy.testing.UpstreamResponse;
import dev.llmproxy.testing.SseEvent;
import dev.llmproxy.testing.SseEvents;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Deploy, serve, undeploy, redeploy on a real Tomcat through its manager application, and check the
 * three things an operator would, and that a stream the undeploy cuts ends with an error event saying so: no thread
 * of ours survives undeploy (a {@code jcmd Thread.print} of the
 * Tomcat JVM), Tomcat's own leak detection logs nothing at undeploy, and the manager's "find leaks"
 * reports no retained class loader. The config directory comes from a JVM-wide system property here
 * ({@code CATALINA_OPTS=-Dllmproxy.config.dir=...}), the first place the gateway looks. On Tomcat 11 the state is
 * shared through a real Redis, and serving also opens a cooldown and makes a management write (both sent to
 * Redis), so Lettuce's and Netty's threads and thread-locals are checked too.
 */
class TomcatRedeployIT {
  private static final String PATH = "/llm-proxy";
  /** Thread names of everything the gateway (and HttpClient, Lettuce and Netty on its behalf) starts. */
  private static final List<String> GATEWAY_THREAD_PREFIXES = List.of("llm-proxy-", "idle-connection-evictor",
      "lettuce-", "globalEventExecutor", "nioEventLoop", "threadDeathWatcher", "ObjectCleaner");
  /** What Tomcat's WebappClassLoader and StandardContext log when an application leaks at undeploy. */
  private static final List<String> TOMCAT_LEAK_WARNINGS = List.of(
      "appears to have started a thread", "failed to stop it", "memory leak", "failed to remove it",
      "ThreadLocal with key");

  private final GatewayHttp http = new GatewayHttp();

  @ParameterizedTest(name = "{0}")
  @CsvSource({"tomcat-10.1-redeploy, llmproxy.tomcat10.home, false", "tomcat-11-redeploy, llmproxy.tomcat11.home, true"})
  void undeployLeavesNoThreadNorLeakAndRedeployServesAgain(String name, String homeProperty, boolean withRedis)
      throws Exception {
    try (FakeUpstream upstream = new FakeUpstream().start();
        RedisProcess redis = withRedis ? RedisProcess.start() : null) {
      Path configDir = ContainerProcess.WORK.resolve(name + "-config");
      ContainerProcess.deleteRecursively(configDir);
      TestConfigs.standard(configDir, upstream);
      if (withRedis) {
        Files.writeString(configDir.resolve("config.yaml"), "state: {store: redis, redis-url: \"" + redis.url()
            + "\"}\n", StandardOpenOption.APPEND);
      }
      try (TomcatProcess tomcat = new TomcatProcess(name, ContainerProcess.distribution(homeProperty),
          List.of(new Deployment(PATH, null, Deployment.Security.NONE)), true,
          List.of("-Dllmproxy.config.dir=" + configDir))) {
        tomcat.start();
        serveChatAndStream(tomcat);
        assertTrue(gatewayThreads(tomcat).stream().anyMatch(t -> t.startsWith("llm-proxy-upstream-")),
            "serving should have started upstream reactor threads (else this test proves nothing)");
        if (withRedis) {
          useRedis(tomcat, upstream);
          assertTrue(gatewayThreads(tomcat).stream().anyMatch(t -> t.startsWith("llm-proxy-redis-")),
              "state in Redis should have started Lettuce's threads (else this test proves nothing)");
        }

        upstream.respondWith(r -> UpstreamResponse.pacedStream(r.model(), 1_000, Duration.ofMillis(50), 16));
        HttpResponse<java.io.InputStream> open = http.postStream(tomcat.uri(PATH, "/v1/chat/completions"),
            "Authorization", bearer(TestConfigs.CLIENT_KEY));
        long t0;
        try (SseEvents events = SseEvents.of(open)) {
          events.next();
          t0 = System.nanoTime();
          assertTrue(tomcat.manager("undeploy?path=" + PATH).startsWith("OK"), "undeploy failed");
          List<SseEvent> rest = events.remaining(Duration.ofSeconds(15));
          assertTrue(rest.stream().anyMatch(e -> e.data().contains("gateway_shutting_down")),
              "a stream the undeploy cut says so, not only stops: " + rest.subList(Math.max(0, rest.size() - 2),
                  rest.size()));
        }
        upstream.respondWith(r -> new OpenAiResponder().respond(r));
        System.out.printf("[it] %s: undeploy took %d ms%n", name, (System.nanoTime() - t0) / 1_000_000);
        assertEquals(List.of(), gatewayThreads(tomcat), "gateway threads left after undeploy");
        String log = tomcat.log();
        for (String warning : TOMCAT_LEAK_WARNINGS) {
          assertFalse(log.contains(warning), "Tomcat reported a leak at undeploy: " + warning + "\n" + tomcat.tail(40));
        }
        String leaks = tomcat.manager("findleaks?statusLine=true");
        assertTrue(leaks.startsWith("OK - No memory leaks found"), leaks);

        assertTrue(tomcat.manager("deploy?path=" + PATH + "&war=file:" + ContainerProcess.WAR).startsWith("OK"),
            "redeploy failed");
        tomcat.awaitHealthy(PATH);
        serveChatAndStream(tomcat);
        if (withRedis) {
          useRedis(tomcat, upstream);
        }
        assertTrue(tomcat.manager("undeploy?path=" + PATH).startsWith("OK"), "second undeploy failed");
        assertEquals(List.of(), gatewayThreads(tomcat), "gateway threads left after the second undeploy");
        String leaksAfterSecond = tomcat.manager("findleaks?statusLine=true");
        assertTrue(leaksAfterSecond.startsWith("OK - No memory leaks found"), leaksAfterSecond);
      }
    }
  }

  private void serveChatAndStream(TomcatProcess tomcat) throws Exception {
    HttpResponse<String> chat = http.post(tomcat.uri(PATH, "/v1/chat/completions"), GatewayHttp.CHAT,
        "Authorization", bearer(TestConfigs.CLIENT_KEY));
    assertEquals(200, chat.statusCode(), chat.body());
    HttpResponse<java.io.InputStream> stream = http.postStream(tomcat.uri(PATH, "/v1/chat/completions"),
        "Authorization", bearer(TestConfigs.CLIENT_KEY));
    try (SseEvents events = SseEvents.of(stream)) {
      List<SseEvent> all = events.remaining(Duration.ofSeconds(10));
      String last = all.isEmpty() ? null : all.get(all.size() - 1).data();
      assertEquals("[DONE]", last);
    }
  }

  /**
   * Sends state to Redis from the container's and the reactor's threads: a 429 (a cooldown, shared), a management
   * write (published), a wrong management key (counted) and a usage read; waits until Redis answers first, and until
   * the one-second window is over after.
   */
  private void useRedis(TomcatProcess tomcat, FakeUpstream upstream) throws Exception {
    awaitState(tomcat, "redis");
    AtomicBoolean limited = new AtomicBoolean();
    upstream.respondWith(r -> limited.getAndSet(true) ? new OpenAiResponder().respond(r)
        : UpstreamResponse.rateLimited(Duration.ofSeconds(1)));
    HttpResponse<String> refused = http.post(tomcat.uri(PATH, "/v1/chat/completions"), GatewayHttp.CHAT,
        "Authorization", bearer(TestConfigs.CLIENT_KEY));
    assertEquals(429, refused.statusCode(), refused.body());
    HttpResponse<String> write = http.patch(tomcat.uri(PATH, "/v0/management/debug"), "{\"value\":true}",
        "Authorization", bearer(TestConfigs.MANAGEMENT_KEY));
    assertEquals(200, write.statusCode(), write.body());
    HttpResponse<String> guess = http.get(tomcat.uri(PATH, "/v0/management/usage"), "Authorization",
        bearer("not-the-management-key"));
    assertEquals(401, guess.statusCode(), "a failed key check, counted in Redis: " + guess.body());
    HttpResponse<String> usage = http.get(tomcat.uri(PATH, "/v0/management/usage"), "Authorization",
        bearer(TestConfigs.MANAGEMENT_KEY));
    assertEquals(200, usage.statusCode(), "usage read from Redis: " + usage.body());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (http.post(tomcat.uri(PATH, "/v1/chat/completions"), GatewayHttp.CHAT, "Authorization",
        bearer(TestConfigs.CLIENT_KEY)).statusCode() != 200) {
      assertTrue(System.nanoTime() < deadline, "the 1 s cooldown did not end");
      Thread.sleep(100);
    }
  }

  private void awaitState(TomcatProcess tomcat, String state) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    String body = "";
    while (System.nanoTime() < deadline) {
      body = http.get(tomcat.uri(PATH, "/healthz")).body();
      if (body.contains("\"state\":\"" + state + "\"")) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("healthz never said state " + state + ": " + body);
  }

  private static List<String> gatewayThreads(ContainerProcess container) throws Exception {
    return container.threadNames().stream()
        .filter(t -> GATEWAY_THREAD_PREFIXES.stream().anyMatch(t::startsWith)).sorted().toList();
  }
}
