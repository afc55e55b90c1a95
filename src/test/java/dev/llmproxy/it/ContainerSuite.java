package dev.llmproxy.it;

import static dev.llmproxy.it.GatewayHttp.bearer;
import static dev.llmproxy.it.GatewayHttp.basic;
import static dev.llmproxy.testing.SseStep.await;
import static dev.llmproxy.testing.SseStep.chunk;
import static dev.llmproxy.testing.SseStep.done;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.it.sso.HeaderSsoFilter;
import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.RawClient;
import dev.llmproxy.testing.RawResponse;
import dev.llmproxy.testing.RecordedRequest;
import dev.llmproxy.testing.SseEvents;
import dev.llmproxy.testing.UpstreamResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The smoke suite every supported container runs against the same built WAR, deployed four times in one
 * container process:
 * <ul>
 *   <li>{@code /} and {@code /llm-proxy}: API keys, management by key;
 *   <li>{@code /sso}: behind an SSO filter that wraps request and response ({@code client-auth: both},
 *       {@code remote-management.auth: container});
 *   <li>{@code /basic}: behind a {@code security-constraint} with BASIC auth against a container realm
 *       ({@code client-auth: container}).
 * </ul>
 * Subclasses start the container; one container serves all tests of the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ContainerSuite {
  static final String SSO = "/sso";
  static final String BASIC = "/basic";
  /** {@code request-body-timeout} of the {@code /llm-proxy} deployment. */
  static final Duration STALLED_BODY_TIMEOUT = Duration.ofSeconds(2);

  final GatewayHttp http = new GatewayHttp();
  FakeUpstream upstream;
  ContainerProcess container;

  /** Creates (not starts) the container with {@link #deployments}; configs are written afterwards. */
  abstract ContainerProcess newContainer(FakeUpstream upstream) throws Exception;

  /** Where the config of the {@code /} deployment lives in this container. */
  abstract Path rootConfigDir();

  static List<Deployment> deployments(Path rootConfigDir, Path base) {
    return List.of(
        new Deployment("/", rootConfigDir, Deployment.Security.NONE),
        new Deployment("/llm-proxy", base.resolve("config-standard"), Deployment.Security.NONE),
        new Deployment(SSO, base.resolve("config-sso"), Deployment.Security.SSO_FILTER),
        new Deployment(BASIC, base.resolve("config-basic"), Deployment.Security.BASIC_REALM));
  }

  @BeforeAll
  void startContainer() throws Exception {
    upstream = new FakeUpstream().start();
    container = newContainer(upstream);
    TestConfigs.standard(rootConfigDir(), upstream);
    TestConfigs.standard(container.base.resolve("config-standard"), upstream,
        "request-body-timeout: " + STALLED_BODY_TIMEOUT.toSeconds() + "s\n");
    TestConfigs.sso(container.base.resolve("config-sso"), upstream);
    TestConfigs.basic(container.base.resolve("config-basic"), upstream);
    container.start();
  }

  @AfterAll
  void stopContainer() throws Exception {
    if (container != null) {
      container.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @BeforeEach
  void resetUpstream() {
    upstream.reset();
  }

  // ---- API keys, at both context paths ----

  @ParameterizedTest
  @ValueSource(strings = {"/", "/llm-proxy"})
  void modelsAreListedUnderTheContextPath(String contextPath) throws Exception {
    HttpResponse<String> r = http.get(container.uri(contextPath, "/v1/models"), "Authorization", bearer(TestConfigs.CLIENT_KEY));
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("\"id\":\"" + TestConfigs.MODEL + "\""), r.body());
    assertTrue(r.body().contains("\"owned_by\":\"fake\""), r.body());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/llm-proxy"})
  void theContextRootListsNoDirectory(String contextPath) throws Exception {
    HttpResponse<String> r = http.get(container.uri(contextPath, "/"));
    assertTrue(r.statusCode() == 403 || r.statusCode() == 404, r.statusCode() + " " + r.body());
    assertFalse(r.body().contains("Directory"), r.body()); // Jetty: "Directory: /", Tomcat: "Directory Listing For"
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/llm-proxy"})
  void chatIsRelayedToTheUpstreamWithItsKeyAndModel(String contextPath) throws Exception {
    HttpResponse<String> r = http.post(container.uri(contextPath, "/v1/chat/completions"), GatewayHttp.CHAT,
        "Authorization", bearer(TestConfigs.CLIENT_KEY));
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("Hello from the fake upstream"), r.body());
    RecordedRequest received = upstream.lastRequest();
    assertEquals("/v1/chat/completions", received.path());
    assertEquals(bearer(TestConfigs.UPSTREAM_KEY), received.header("Authorization"));
    assertEquals(TestConfigs.UPSTREAM_MODEL, received.model());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/llm-proxy"})
  void streamDeliversFirstEventWhileUpstreamIsStillBlocked(String contextPath) throws Exception {
    assertStreamsIncrementally(contextPath, "Authorization", bearer(TestConfigs.CLIENT_KEY));
  }

  /**
   * A client that declares a body and stops sending it gets 408 and its connection closed by the gateway itself:
   * the container's idle timeout did not fire during an asynchronous read (Jetty 12 held such a request 200 s).
   */
  @Test
  void aStalledRequestBodyGets408AndTheConnectionIsClosed() throws Exception {
    try (RawClient c = RawClient.connect(container.port)) {
      long start = System.nanoTime();
      c.send("POST /llm-proxy/v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
          + TestConfigs.CLIENT_KEY + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n",
          "{\"model\":".getBytes(StandardCharsets.UTF_8));
      RawResponse r = c.readToEnd(Duration.ofSeconds(15), 8192, Duration.ZERO);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertEquals(408, r.status(), r.toString());
      assertTrue(r.body().contains("request_timeout"), r.body());
      assertTrue(took.compareTo(STALLED_BODY_TIMEOUT) >= 0, "took " + took);
    }
  }

  /** Claude Code, Codex and Gemini CLI themselves, pointed at a deployment under a context path, as users run them. */
  @ParameterizedTest
  @EnumSource(CodingCli.class)
  void eachCodingCliIsAnsweredUnderAContextPath(CodingCli cli, @TempDir Path work) throws Exception {
    CodingCli.CliRun run = cli.ask(work, container.uri("/llm-proxy", "").toString(), TestConfigs.CLIENT_KEY,
        TestConfigs.MODEL, "Hello");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.stdout().contains("Hello from the fake upstream"), run.toString());
    RecordedRequest received = upstream.lastRequest();
    assertEquals("/v1/chat/completions", received.path(), "translated to the provider's chat completions");
    assertEquals(TestConfigs.UPSTREAM_MODEL, received.model());
    assertEquals(bearer(TestConfigs.UPSTREAM_KEY), received.header("Authorization"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/llm-proxy"})
  void missingKeyGets401WithOpenAiBody(String contextPath) throws Exception {
    HttpResponse<String> r = http.get(container.uri(contextPath, "/v1/models"));
    assertEquals(401, r.statusCode(), r.body());
    assertTrue(r.body().contains("\"code\":\"missing_api_key\""), r.body());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/llm-proxy"})
  void unknownEndpointErrorNamesTheFullPath(String contextPath) throws Exception {
    HttpResponse<String> r = http.post(container.uri(contextPath, "/v1/no-such-endpoint"), "{}",
        "Authorization", bearer(TestConfigs.CLIENT_KEY));
    assertEquals(404, r.statusCode(), r.body());
    String full = (contextPath.equals("/") ? "" : contextPath) + "/v1/no-such-endpoint";
    assertTrue(r.body().contains("Unknown request URL: " + full + "\""), r.body());
  }

  @Test
  void startupLogShowsEachContextPathAndNoSecret() throws Exception {
    String log = container.log();
    assertTrue(log.contains("llm-proxy started at context path '/'"), "ROOT summary missing");
    assertTrue(log.contains("llm-proxy started at context path '/llm-proxy'"), "/llm-proxy summary missing");
    assertTrue(log.contains("POST /llm-proxy/v1/chat/completions"), "route list ignores the context path");
    assertTrue(log.contains("Configuration loaded from " + rootConfigDir().resolve("config.yaml")), log);
    assertTrue(log.contains("Configuration loaded from "
        + container.base.resolve("config-standard").resolve("config.yaml")), "init-parameter not honoured");
    assertTrue(log.contains("clients: users signed in by the container in role 'llm-proxy-user', or 1 api-key(s)"));
    for (String secret : List.of(TestConfigs.UPSTREAM_KEY, TestConfigs.CLIENT_KEY, TestConfigs.MACHINE_KEY,
        TestConfigs.MANAGEMENT_KEY)) {
      assertFalse(log.contains(secret), "the container log shows a secret");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/llm-proxy"})
  void managementAnswersWithTheKey(String contextPath) throws Exception {
    HttpResponse<String> r = http.get(container.uri(contextPath, "/v0/management/api-keys"),
        "Authorization", bearer(TestConfigs.MANAGEMENT_KEY));
    assertEquals(200, r.statusCode(), r.body());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/llm-proxy"})
  void adminPageIsServedWithItsSecurityHeaders(String contextPath) throws Exception {
    HttpResponse<String> page = http.get(container.uri(contextPath, "/admin/"));
    assertEquals(200, page.statusCode(), page.body());
    assertTrue(page.body().contains("<title>llm-proxy admin</title>"), page.body());
    assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("")
        .matches("default-src 'self'; .*frame-ancestors 'none'"), page.headers().toString());
    assertEquals("no-store", page.headers().firstValue("Cache-Control").orElse(""));
    assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
    assertEquals("no-referrer", page.headers().firstValue("Referrer-Policy").orElse(""));
    HttpResponse<String> script = http.get(container.uri(contextPath, "/admin/js/app.js"));
    assertEquals(200, script.statusCode());
    // Module scripts load only with a JavaScript type once nosniff is set.
    assertTrue(script.headers().firstValue("Content-Type").orElse("").contains("javascript"),
        script.headers().toString());
  }

  // ---- behind an SSO filter that wraps the request (client-auth: both) ----

  @Test
  void ssoUserInRoleStreamsWithoutApiKeyThroughTheWrappingFilter() throws Exception {
    assertStreamsIncrementally(SSO, HeaderSsoFilter.HEADER, "carol; " + Deployment.CLIENT_ROLE);
    HttpResponse<String> models = http.get(container.uri(SSO, "/v1/models"),
        HeaderSsoFilter.HEADER, "carol; " + Deployment.CLIENT_ROLE);
    assertEquals(200, models.statusCode(), models.body());
    awaitLog("client=user carol route provider=fake");
  }

  @Test
  void ssoUserWithoutClientRoleGets403() throws Exception {
    HttpResponse<String> r = http.post(container.uri(SSO, "/v1/chat/completions"), GatewayHttp.CHAT,
        HeaderSsoFilter.HEADER, "dave; some-other-role");
    assertEquals(403, r.statusCode(), r.body());
    assertTrue(r.body().contains("\"type\":\"permission_error\""), r.body());
    assertTrue(r.body().contains("\"code\":\"missing_role\""), r.body());
  }

  @Test
  void machinesKeepUsingApiKeysBehindSso() throws Exception {
    HttpResponse<String> r = http.post(container.uri(SSO, "/v1/chat/completions"), GatewayHttp.CHAT,
        "Authorization", bearer(TestConfigs.MACHINE_KEY));
    assertEquals(200, r.statusCode(), r.body());
    awaitLog("client=key mach...ts-2 route provider=fake");
  }

  @Test
  void neitherSignedInNorKeyGets401BehindSso() throws Exception {
    HttpResponse<String> r = http.get(container.uri(SSO, "/v1/models"));
    assertEquals(401, r.statusCode(), r.body());
  }

  @Test
  void ssoAdminManagesWithoutKeyAndOthersGet403() throws Exception {
    HttpResponse<String> admin = http.get(container.uri(SSO, "/v0/management/api-keys"),
        HeaderSsoFilter.HEADER, "erin; " + Deployment.ADMIN_ROLE);
    assertEquals(200, admin.statusCode(), admin.body());
    HttpResponse<String> user = http.get(container.uri(SSO, "/v0/management/api-keys"),
        HeaderSsoFilter.HEADER, "carol; " + Deployment.CLIENT_ROLE);
    assertEquals(403, user.statusCode(), user.body());
  }

  @Test
  void whoamiNamesTheSsoAdminSoTheAdminPageNeedsNoKey() throws Exception {
    HttpResponse<String> who = http.get(container.uri(SSO, "/v0/management/whoami"),
        HeaderSsoFilter.HEADER, "erin; " + Deployment.ADMIN_ROLE);
    assertEquals(200, who.statusCode(), who.body());
    assertTrue(who.body().startsWith("{\"auth\":\"container\",\"user\":\"erin\",\"version\":"), who.body());
  }

  // ---- behind a security-constraint with BASIC auth and a container realm (client-auth: container) ----

  @Test
  void anonymousGetsTheContainersBasicChallenge() throws Exception {
    HttpResponse<String> r = http.get(container.uri(BASIC, "/v1/models"));
    assertEquals(401, r.statusCode());
    String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
    assertTrue(challenge.startsWith("Basic realm=\"llm-proxy\""), challenge);
  }

  @Test
  void realmUserInRoleChatsAndStreamsWithoutApiKey() throws Exception {
    String alice = basic(Deployment.ALICE, Deployment.ALICE_PASSWORD);
    HttpResponse<String> r = http.post(container.uri(BASIC, "/v1/chat/completions"), GatewayHttp.CHAT,
        "Authorization", alice);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(bearer(TestConfigs.UPSTREAM_KEY), upstream.lastRequest().header("Authorization"),
        "the container's Authorization header must never reach the provider");
    assertStreamsIncrementally(BASIC, "Authorization", alice);
    awaitLog("client=user alice route provider=fake");
  }

  @Test
  void realmUserWithoutClientRoleGets403FromTheGateway() throws Exception {
    HttpResponse<String> r = http.get(container.uri(BASIC, "/v1/models"),
        "Authorization", basic(Deployment.BOB, Deployment.BOB_PASSWORD));
    assertEquals(403, r.statusCode(), r.body());
    assertTrue(r.body().contains("\"code\":\"missing_role\""), r.body());
  }

  @Test
  void realmAdminManagesByRoleAndOthersGet403() throws Exception {
    HttpResponse<String> admin = http.get(container.uri(BASIC, "/v0/management/api-keys"),
        "Authorization", basic(Deployment.ALICE, Deployment.ALICE_PASSWORD));
    assertEquals(200, admin.statusCode(), admin.body());
    HttpResponse<String> bob = http.get(container.uri(BASIC, "/v0/management/api-keys"),
        "Authorization", basic(Deployment.BOB, Deployment.BOB_PASSWORD));
    assertEquals(403, bob.statusCode(), bob.body());
  }

  // ---- a departed client stops the upstream, whenever it leaves ----

  /** When a client vanishes (a TCP reset, as a killed process leaves). */
  enum Leaving { BEFORE_THE_RESPONSE_HEAD, BETWEEN_EVENTS, WHILE_WRITES_ARE_BLOCKED }

  /**
   * The upstream is cancelled within a bound every time, whatever the moment: tokens the operator pays for
   * and a pool slot are held otherwise. Repeated, because the moment decides which code path notices.
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(Leaving.class)
  void aClientThatVanishesCancelsTheUpstreamEveryTime(Leaving when) throws Exception {
    int port = container.uri("/", "/").getPort();
    String body = "{\"model\":\"" + TestConfigs.MODEL + "\",\"stream\":true,\"messages\":[]}";
    for (int round = 1; round <= 3; round++) {
      int cancelledBefore = upstream.streamStats().cancelled();
      UpstreamResponse paced = UpstreamResponse.pacedStream(TestConfigs.UPSTREAM_MODEL, 500,
          Duration.ofMillis(10), when == Leaving.WHILE_WRITES_ARE_BLOCKED ? 16_000 : 8);
      upstream.respondWith(req -> when == Leaving.BEFORE_THE_RESPONSE_HEAD
          ? UpstreamResponse.delayed(Duration.ofMillis(400), paced) : paced);
      try (RawClient client = RawClient.connect(port,
          when == Leaving.WHILE_WRITES_ARE_BLOCKED ? 4096 : 0)) {
        client.post("/v1/chat/completions", TestConfigs.CLIENT_KEY, body);
        switch (when) {
          case BEFORE_THE_RESPONSE_HEAD -> Thread.sleep(100);
          case BETWEEN_EVENTS -> client.readUntil("data: ", 5);
          case WHILE_WRITES_ARE_BLOCKED -> {
            client.readUntil("data: ", 1);
            Thread.sleep(1000); // the server's socket buffer fills; its writes stop being ready
          }
        }
        client.abort();
      }
      upstream.awaitCancelledStreams(cancelledBefore + 1, Duration.ofSeconds(3));
      assertEquals(cancelledBefore + 1, upstream.streamStats().cancelled(),
          "round " + round + ": the upstream stream still runs after the client vanished " + when);
    }
    awaitNoOpenRequests();
  }

  // ---- helpers ----

  /** Event 1 must arrive while the upstream is blocked before event 2: streaming proven by order. */
  void assertStreamsIncrementally(String contextPath, String... headers) throws Exception {
    CountDownLatch upstreamMayFinish = new CountDownLatch(1);
    upstream.respondWith(req -> UpstreamResponse.sse(
        chunk(req.model(), "Hel"), await(upstreamMayFinish), chunk(req.model(), "lo"), done()));
    HttpResponse<InputStream> r = http.postStream(container.uri(contextPath, "/v1/chat/completions"), headers);
    try (SseEvents events = SseEvents.of(r)) {
      assertEquals(200, r.statusCode());
      assertEquals("text/event-stream", r.headers().firstValue("Content-Type").orElse("").split(";")[0]);
      assertEquals("Hel", events.next().deltaContent());
      assertEquals(1, upstreamMayFinish.getCount(), "the upstream finished before the first event arrived");
      upstreamMayFinish.countDown();
      assertEquals("lo", events.next().deltaContent());
      assertTrue(events.next().isDone());
    } finally {
      upstreamMayFinish.countDown();
    }
  }

  /** The container ended every request's asynchronous cycle: each gave its place in max-open-requests back. */
  void awaitNoOpenRequests() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    JsonNode open;
    do {
      HttpResponse<String> r = http.get(container.uri("/", "/v0/management/upstream-status"),
          "Authorization", bearer(TestConfigs.MANAGEMENT_KEY));
      assertEquals(200, r.statusCode(), r.body());
      open = new ObjectMapper().readTree(r.body()).get("open-requests");
      if (open.get("open").asInt() == 0) {
        return;
      }
      Thread.sleep(20);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("requests still open after every client left: " + open);
  }

  void awaitLog(String text) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (container.log().contains(text)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the container log never showed '" + text + "'");
  }
}
