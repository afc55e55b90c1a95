package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.GatewayServer;
import dev.llmproxy.testing.UpstreamResponse;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Many slow streams at once: all complete intact, and the gateway does not hold a thread per stream.
 * The proof is structural: the container gets a pool of 32 threads, far fewer than the 200 streams it
 * must keep open at the same time, and the webapp adds only its few reactor and timer threads.
 */
class ConcurrentStreamsIT {
  private static final int STREAMS = 200;
  private static final int CHUNKS = 20;
  private static final int CONTAINER_THREADS = 32;
  /** Threads alive before this class's gateway started (other tests' leftovers in this JVM are not its own). */
  private static final Set<Thread> EARLIER = Set.copyOf(Thread.getAllStackTraces().keySet());

  @RegisterExtension
  @Order(1)
  static final FakeUpstream upstream = new FakeUpstream();

  @RegisterExtension
  @Order(2)
  static final GatewayServer gateway = GatewayServer.builder().maxThreads(CONTAINER_THREADS)
      .config(() -> TestConfigs.oneProvider(upstream, "")).build();

  /** Threads that belong to the gateway: its container pool and everything the webapp started. */
  private static long gatewayThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("gateway") || t.getName().startsWith("llm-proxy"))
        .filter(t -> !EARLIER.contains(t))
        .count();
  }

  @Test
  void twoHundredSlowStreamsCompleteIntactWithFewThreads() throws Exception {
    upstream.recordRequests(false);
    upstream.respondWith(req -> UpstreamResponse.pacedStream(req.model(), CHUNKS, Duration.ofMillis(100), 32));
    HttpClient http = HttpClient.newBuilder().build();
    CountDownLatch allStarted = new CountDownLatch(STREAMS);
    AtomicInteger intact = new AtomicInteger();
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (int i = 0; i < STREAMS; i++) {
      HttpRequest request = HttpRequest.newBuilder(gateway.uri("/v1/chat/completions"))
          .header("Authorization", "Bearer team-key-1")
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"stream\":true}")).build();
      done.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenAccept(response -> {
        allStarted.countDown();
        List<String> data = response.body().filter(l -> l.startsWith("data: ")).toList();
        boolean complete = response.statusCode() == 200 && UpstreamResponse.Paced.arrivedWhole(data, CHUNKS, 32);
        if (complete) {
          intact.incrementAndGet();
        }
      }));
    }
    assertTrue(allStarted.await(30, TimeUnit.SECONDS), "every stream got its response headers");
    long threadsWhileOpen = gatewayThreads();
    int openUpstream = upstream.streamStats().open();
    CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

    assertEquals(STREAMS, intact.get(), "every stream arrived complete and in order");
    assertTrue(openUpstream > STREAMS / 2, "most streams were open at the same time: " + openUpstream);
    assertTrue(threadsWhileOpen <= CONTAINER_THREADS + 8,
        "gateway threads while " + openUpstream + " streams were open: " + threadsWhileOpen);
  }
}
