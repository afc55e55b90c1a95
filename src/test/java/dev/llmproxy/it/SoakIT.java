package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.LogCapture;
import dev.llmproxy.testing.ProcessFootprint;
import dev.llmproxy.testing.PrometheusScrape;
import dev.llmproxy.testing.RawClient;
import dev.llmproxy.testing.RawResponse;
import dev.llmproxy.testing.StreamStats;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The soak: a few minutes of mixed load from a few dozen clients over every dialect, against an upstream
 * that fails in every way providers do (429 with Retry-After, 5xx, a refused request, a connection closed
 * without a word, a stall beyond the read timeout before or after the head, a malformed event, an error
 * event or a cut connection mid-stream), with clients that read, read slowly, never read, or vanish at
 * any moment (a reset or an orderly close). Afterwards nothing may be left: every reading client got the
 * answer its plan calls for, no client hung, every stream and upstream exchange ended, every connection
 * lease came back (the pool a reload retires closes), no exchange object is still reachable, and the
 * heap, the threads and the file descriptors are back near their baseline. No ERROR line may be logged.
 *
 * <p>Deterministic in what it asserts: every scenario is drawn from a seeded random ({@code
 * -Dllmproxy.soak.seed}), and its expected outcome follows from the scenario alone. The load lasts
 * {@code -Dllmproxy.soak.seconds} (60 by default, what CI can spend; longer runs take the property).
 */
class SoakIT {
  /** Threads alive before this class's gateway started: other tests' leftovers in this JVM are not its pools. */
  private static final Set<Thread> EARLIER = Set.copyOf(Thread.getAllStackTraces().keySet());
  private static final long SEED = Long.getLong("llmproxy.soak.seed", 19);
  private static final Duration LOAD = Duration.ofSeconds(Long.getLong("llmproxy.soak.seconds", 60));
  private static final Duration WARM_UP = Duration.ofSeconds(10);
  private static final int CLIENTS = 32;
  private static final String METRICS_TOKEN = "soak-metrics-token-0123";

  /** What may remain above the baseline: garbage the collector keeps for its own reasons, a helper thread. */
  private static final long HEAP_SLACK = 16L << 20;
  private static final int THREAD_SLACK = 2;
  private static final int FD_SLACK = 8;
  /** The objects of one exchange: none may be reachable once every client is gone. */
  private static final List<String> EXCHANGE_CLASSES = List.of("dev.llmproxy.relay.ProxyExchange",
      "dev.llmproxy.relay.AttemptLoop", "dev.llmproxy.relay.UpstreamAttempt",
      "dev.llmproxy.stream.ClientResponseWriter", "dev.llmproxy.upstream.UpstreamResponseConsumer");
  /**
   * Threads compared with the baseline: all but the two Jetty containers' pools, which grow with the load
   * and shrink on their own idle timeout, one thread a minute (their busy threads are compared instead),
   * and the soak's own clients, which have ended.
   */
  private static final Predicate<String> COMPARED_THREADS = name -> !name.startsWith("gateway-")
      && !name.startsWith("fake-upstream-") && !name.startsWith("soak-client-");

  @RegisterExtension
  @Order(1)
  static final FakeUpstream upstream = new FakeUpstream();

  @RegisterExtension
  @Order(2)
  static final GatewayServer gateway = GatewayServer.builder().config(() -> config("warm-up")).build();

  /**
   * The soak's config. {@code phase} names a marker model (to see a reload is live) and sets the connect
   * timeout, so each phase has its own upstream pool and a reload retires the previous one.
   */
  private static String config(String phase) {
    int connectSeconds = switch (phase) {
      case "warm-up" -> 5;
      case "soak" -> 6;
      default -> 7;
    };
    return """
        api-keys: ["%s"]
        usage:
          store: memory
        metrics:
          token: "%s"
        routing:
          strategy: fill-first
        transient-error-cooldown-seconds: 1
        max-retry-interval: 1s
        upstream:
          read-timeout: 2s
          connect-timeout: %ds
        openai-compatibility:
          - name: steady
            disable-cooling: true
            base-url: %s
            api-key-entries: [{api-key: steady-1}, {api-key: steady-2}, {api-key: steady-3}]
            models: [{name: up-steady, alias: steady}]
          - name: cooling
            request-retry: 1
            base-url: %s
            api-key-entries: [{api-key: cooling-1}, {api-key: cooling-2}]
            models: [{name: up-cooling, alias: cooling}]
          - name: marker
            base-url: %s
            api-key-entries: [{api-key: marker-1}]
            models: [{name: up-marker, alias: phase-%s}]
        """.formatted(GatewayClient.CLIENT_KEY, METRICS_TOKEN, connectSeconds, upstream.baseUrl(),
        upstream.baseUrl(), upstream.baseUrl(), phase);
  }

  /** Which attempts of each request reached the upstream, for the report of a wrong answer. */
  private final SoakTrail trail = new SoakTrail();

  @Test
  void faultsAndDepartingClientsLeaveNoExchangeThreadHeapOrDescriptorBehind() throws Exception {
    upstream.recordRequests(false).respondWith(SoakFault.responder(trail));
    SoakClient client = new SoakClient(gateway.port(), trail);
    try (LogCapture log = LogCapture.quiet(Level.SEVERE)) {
      SoakLoad warmUp = new SoakLoad(client, ~SEED, CLIENTS).run(WARM_UP);
      assertEquals("", warmUp.problems(), "warm-up");
      awaitQuiet();
      trail.clear();
      switchPool("soak");
      ProcessFootprint baseline = ProcessFootprint.measure(COMPARED_THREADS, EXCHANGE_CLASSES);
      int baselineBusy = gateway.busyThreads();
      PrometheusScrape before = scrape();

      SoakLoad load = new SoakLoad(client, SEED, CLIENTS).run(LOAD);

      StreamStats upstreamStreams = awaitQuiet();
      trail.clear(); // every answer is judged: the test's own records stay out of the heap compared below
      double counted = scrape().sum("llmproxy_requests_total") - before.sum("llmproxy_requests_total");
      switchPool("after");
      ProcessFootprint after = awaitFootprint(baseline);
      List<String> errors = log.lines();
      System.out.printf("soak: %s in %s; upstream %s; gateway counted %.0f; warnings %d%n  baseline %s%n"
          + "  after    %s%n", load, LOAD, upstreamStreams, counted, log.count(Level.WARNING), baseline, after);
      assertAll(
          () -> assertEquals("", load.problems(), "every reading client got what its plan calls for, in time"),
          () -> assertTrue(load.count(SoakClient.Ending.ANSWERED) > 0 && load.count(SoakClient.Ending.LEFT) > 0,
              "the load ran: " + load),
          () -> assertTrue(counted >= load.count(SoakClient.Ending.ANSWERED) && counted <= load.requests(),
              "each request is counted once when it ends: " + counted + " for " + load),
          () -> assertEquals(List.of(), errors, "no ERROR line"),
          () -> assertExchangesGone(baseline, after),
          () -> assertTrue(after.heapBytes() <= baseline.heapBytes() + HEAP_SLACK,
              "heap after GC: " + mib(baseline.heapBytes()) + " before, " + mib(after.heapBytes()) + " after"),
          () -> assertTrue(after.threads().size() <= baseline.threads().size() + THREAD_SLACK,
              "threads: " + difference(baseline.threads(), after.threads())),
          () -> assertTrue(gateway.busyThreads() <= baselineBusy + THREAD_SLACK,
              "busy container threads: " + baselineBusy + " before, " + gateway.busyThreads() + " after"),
          () -> assertTrue(after.fileDescriptorCount() <= baseline.fileDescriptorCount() + FD_SLACK,
              "file descriptors: " + baseline.fileDescriptors() + " before, " + after.fileDescriptors() + " after"));
    }
  }

  private static void assertExchangesGone(ProcessFootprint baseline, ProcessFootprint after) {
    for (String name : EXCHANGE_CLASSES) {
      long before = baseline.instances().get(name);
      long now = after.instances().get(name);
      assertTrue(now <= before, "live " + name + ": " + before + " before, " + now + " after");
    }
  }

  /**
   * Waits until no stream is open on either side: the gateway's {@code llmproxy_streams_open} and the fake
   * upstream's streams that neither completed nor were cancelled (every upstream exchange ended).
   */
  private StreamStats awaitQuiet() throws Exception {
    await(() -> scrape().sum("llmproxy_streams_open") == 0 && upstream.streamStats().open() == 0,
        Duration.ofSeconds(30), () -> "open streams: gateway " + scrape().sum("llmproxy_streams_open")
            + ", upstream " + upstream.streamStats());
    return upstream.streamStats();
  }

  /**
   * Installs the phase's config and sends one request, which opens the phase's pool; the previous pool is
   * retired and closes once its last exchange gives its lease back, so its reactor threads ending proves
   * that every exchange did.
   */
  private void switchPool(String phase) throws Exception {
    Set<Thread> previousPool = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("llm-proxy-upstream-") && !EARLIER.contains(t)).collect(Collectors.toSet());
    gateway.writeConfig(config(phase));
    await(() -> get("/v1/models", "Bearer " + GatewayClient.CLIENT_KEY).body().contains("phase-" + phase),
        Duration.ofSeconds(15), () -> "the " + phase + " config never became live");
    SoakScenario probe = new SoakScenario("probe-" + phase, SoakDialect.OPENAI_CHAT, true, SoakScenario.STEADY,
        List.of(SoakFault.OK_SMALL), SoakScenario.Behaviour.READ, SoakScenario.Moment.AFTER_HEAD, 0, 0, false);
    SoakClient.Result result = new SoakClient(gateway.port(), trail).run(probe);
    assertEquals(SoakClient.Ending.ANSWERED, result.ending(), result.toString());
    await(() -> previousPool.stream().noneMatch(Thread::isAlive), Duration.ofSeconds(20),
        () -> "the retired upstream pool never closed (an exchange kept its lease): "
            + previousPool.stream().filter(Thread::isAlive).map(Thread::getName).toList());
  }

  /**
   * Measures until the footprint (live exchanges included) is back within bounds or 45 s passed (longer than the
   * container's idle timeout, after which a connection the client left unnoticed is closed), and returns the last
   * reading. An exchange still ending when the load stops is not a leak; one alive after 45 s is.
   */
  private static ProcessFootprint awaitFootprint(ProcessFootprint baseline) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
    while (true) {
      ProcessFootprint now = ProcessFootprint.measure(COMPARED_THREADS, EXCHANGE_CLASSES);
      boolean within = now.heapBytes() <= baseline.heapBytes() + HEAP_SLACK
          && now.threads().size() <= baseline.threads().size() + THREAD_SLACK
          && now.fileDescriptorCount() <= baseline.fileDescriptorCount() + FD_SLACK
          && EXCHANGE_CLASSES.stream().allMatch(c -> now.instances().get(c) <= baseline.instances().get(c));
      if (within || System.nanoTime() - deadline > 0) {
        return now;
      }
      Thread.sleep(1000);
    }
  }

  private static PrometheusScrape scrape() throws IOException {
    RawResponse r = get("/metrics", "Bearer " + METRICS_TOKEN);
    assertEquals(200, r.status(), r.toString());
    return new PrometheusScrape(r.body());
  }

  private static RawResponse get(String path, String authorization) throws IOException {
    try (RawClient c = RawClient.connect(gateway.port())) {
      c.send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + authorization
          + "\r\nConnection: close\r\n\r\n", new byte[0]);
      return c.readToEnd(Duration.ofSeconds(10), 16 * 1024, Duration.ZERO);
    }
  }

  private static void await(Callable<Boolean> condition, Duration timeout, Callable<String> failure)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.call()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(failure.call());
      }
      Thread.sleep(100);
    }
  }

  private static String difference(List<String> before, List<String> after) {
    List<String> added = new ArrayList<>(after);
    before.forEach(added::remove);
    List<String> gone = new ArrayList<>(before);
    after.forEach(gone::remove);
    return before.size() + " before, " + after.size() + " after; new " + added + ", ended " + gone;
  }

  private static String mib(long bytes) {
    return (bytes >> 20) + " MiB";
  }
}
