package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.testing.FakeUpstream;
import dev.llmproxy.testing.RawClient;
import dev.llmproxy.testing.RawResponse;
import dev.llmproxy.testing.UpstreamResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Requests within every per-request limit, but too many of them large at once for the heap: in a Tomcat with a
 * 300 MiB heap, twelve streams whose upstream sends one 15 MB event (under the 16 MiB an event may have) would hold
 * some 400 MB. The large-buffer budget lets as many through as a third of the heap holds; the others get a clean
 * 503 with Retry-After in the client's dialect (no key cools), nothing runs out of memory (which used to kill the upstream client's reactor, and
 * every later request with it), and a request afterwards succeeds.
 */
class LargeBufferBudgetIT {
  private static final String PATH = "/llm-proxy";
  private static final int STREAMS = 12;
  private static final int CONTENT_BYTES = 15_000_000;
  private static final int BODIES = 6;
  /** An upstream stream of one 15 MB event, then {@code [DONE]}. */
  private static final String ONE_LARGE_EVENT = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\""
      + TestConfigs.UPSTREAM_MODEL + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + "x".repeat(CONTENT_BYTES)
      + "\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";

  @Test
  void streamsBeyondTheHeapsBudgetFailCleanlyWhileTheRestAndLaterRequestsSucceed() throws Exception {
    try (FakeUpstream upstream = new FakeUpstream().start()) {
      upstream.respondWith(req -> UpstreamResponse.text(200, "text/event-stream", ONE_LARGE_EVENT));
      try (TomcatProcess tomcat = startTomcat("tomcat-large-buffers", upstream, "-Xmx300m")) {
        List<RawClient> clients = new ArrayList<>();
        ExecutorService readers = Executors.newFixedThreadPool(STREAMS);
        try {
          for (int i = 0; i < STREAMS; i++) {
            clients.add(send(tomcat.port));
          }
          // Every head first, no body yet: an admitted stream keeps its 15 MB (and its budget) until its client reads.
          List<Future<String>> heads = new ArrayList<>();
          for (RawClient c : clients) {
            heads.add(readers.submit(() -> c.readUntil("\r\n\r\n", 1)));
          }
          for (Future<String> head : heads) {
            head.get();
          }
          List<Future<RawResponse>> responses = new ArrayList<>();
          for (RawClient c : clients) {
            responses.add(readers.submit(() -> c.readToEnd(Duration.ofSeconds(120), 64 * 1024, Duration.ZERO)));
          }
          int whole = 0;
          int refused = 0;
          for (Future<RawResponse> f : responses) {
            RawResponse r = f.get();
            if (r.status() == 200) {
              assertTrue(isWhole(r.body()), "a stream that began arrived whole");
              whole++;
            } else {
              assertEquals(503, r.status(), r.body());
              assertTrue(r.body().contains("gateway_busy"), r.body());
              assertTrue(r.header("Retry-After") != null, "the client is told when to try again");
              refused++;
            }
          }
          assertTrue(whole >= 1, "some streams were relayed");
          assertTrue(refused >= 1, "not all 12 fit a third of 300 MiB: the budget refused some");
          assertEquals(STREAMS, whole + refused);

          RawResponse after = send(tomcat.port).readToEnd(Duration.ofSeconds(120), 64 * 1024, Duration.ZERO);
          assertEquals(200, after.status(), "the gateway still serves the provider afterwards");
          assertTrue(isWhole(after.body()));
          assertFalse(tomcat.log().contains("OutOfMemoryError"), tomcat.tail(60));
        } finally {
          readers.shutdownNow();
          for (RawClient c : clients) {
            c.abort();
          }
        }
      }
    }
  }

  @Test
  void bodiesBeyondTheHeapsBudgetAreRefusedWithRetryAfterWhileTheRestAndLaterRequestsSucceed() throws Exception {
    // Two turns of 13.85 MB: one JSON string may have 20 MB at most.
    // Words, as prompts have: the local token count of one 14 MB word alone takes more heap than the budget.
    String turn = "{\"role\":\"user\",\"content\":\"" + "lorem ipsum ".repeat(1_154_000) + "\"}";
    byte[] body = ("{\"model\":\"" + TestConfigs.MODEL + "\",\"max_tokens\":16,\"messages\":[" + turn + ","
        + turn + "]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try (FakeUpstream upstream = new FakeUpstream().start()) {
      upstream.recordRequests(false);
      try (TomcatProcess tomcat = startTomcat("tomcat-large-bodies", upstream, "-Xmx300m")) {
        ExecutorService senders = Executors.newFixedThreadPool(BODIES);
        try {
          List<Future<RawResponse>> responses = new ArrayList<>();
          for (int i = 0; i < BODIES; i++) {
            responses.add(senders.submit(() -> sendMessages(tomcat.port, body)));
          }
          int answered = 0;
          int refused = 0;
          for (Future<RawResponse> f : responses) {
            RawResponse r = f.get();
            if (r.status() == 200) {
              answered++;
            } else {
              assertEquals(503, r.status(), r.body());
              assertTrue(r.body().contains("overloaded_error"), "an Anthropic client's error: " + r.body());
              assertTrue(r.header("Retry-After") != null, "the client is told when to try again");
              refused++;
            }
          }
          assertTrue(answered >= 1, "some bodies went through");
          assertTrue(refused >= 1, "six 28 MB bodies do not fit a third of 300 MiB: the budget refused some");
          assertEquals(200, sendMessages(tomcat.port, body).status(), "a large body afterwards goes through");
          assertFalse(tomcat.log().contains("OutOfMemoryError"), tomcat.tail(60));
        } finally {
          senders.shutdownNow();
        }
      }
    }
  }

  @Test
  void translatedStreamsAreChargedWhatTranslatingTheirLargeEventsCosts() throws Exception {
    // For Responses clients: the translator keeps the text, and its closing events each repeat it.
    byte[] body = ("{\"model\":\"" + TestConfigs.MODEL + "\",\"stream\":true,\"input\":\"hi\"}")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    int streams = 16;
    try (FakeUpstream upstream = new FakeUpstream().start()) {
      upstream.respondWith(req -> UpstreamResponse.text(200, "text/event-stream", ONE_LARGE_EVENT));
      try (TomcatProcess tomcat = startTomcat("tomcat-large-translated", upstream, "-Xmx512m")) {
        ExecutorService senders = Executors.newFixedThreadPool(streams);
        try {
          List<Future<RawResponse>> responses = new ArrayList<>();
          for (int i = 0; i < streams; i++) {
            responses.add(senders.submit(() -> postResponses(tomcat.port, body)));
          }
          int relayed = 0;
          for (Future<RawResponse> f : responses) {
            RawResponse r = f.get(); // every one ends: one whose end did not fit the budget had hung
            String tail = r.body().substring(Math.max(0, r.body().length() - 600));
            if (r.status() == 200) {
              relayed++;
              // Whole, or its 60 MB of closing events (each repeats the text) did not fit: told, in the dialect.
              assertTrue(r.body().contains("event: response.completed")
                  || r.body().contains("event: response.failed") && tail.contains("too many large requests"), tail);
            } else {
              assertEquals(503, r.status(), tail);
              assertTrue(tail.contains("gateway_busy"), tail);
            }
          }
          assertTrue(relayed >= 1, "some streams were relayed");
          assertFalse(tomcat.log().contains("OutOfMemoryError"), tomcat.tail(60));
          assertTrue(postResponses(tomcat.port, body).body().contains("response.completed"),
              "the gateway still serves afterwards");
        } finally {
          senders.shutdownNow();
        }
      }
    }
  }

  /** The WAR in a Tomcat of {@code heap} ({@code -Xmx...}), its config naming {@code upstream}; started. */
  private static TomcatProcess startTomcat(String name, FakeUpstream upstream, String heap) throws Exception {
    Path work = ContainerProcess.WORK.resolve(name + "-files");
    ContainerProcess.deleteRecursively(work);
    Path configDir = TestConfigs.standard(work.resolve("config"), upstream, "");
    TomcatProcess tomcat = new TomcatProcess(name, ContainerProcess.distribution("llmproxy.tomcat10.home"),
        List.of(new Deployment(PATH, configDir, Deployment.Security.NONE)), false, List.of(heap));
    tomcat.start();
    return tomcat;
  }

  /** A connection that sent {@code body} to {@code path} with {@code headers} (each ending in CRLF); not yet read. */
  private static RawClient post(int port, String path, String headers, byte[] body) throws Exception {
    RawClient c = RawClient.connect(port);
    c.readTimeout(Duration.ofSeconds(60));
    try {
      c.send("POST " + PATH + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "Content-Type: application/json"
          + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n", body);
    } catch (java.io.IOException closedEarly) {
      // the gateway answered and closed before reading it all (a refused body): the answer is what counts
    }
    return c;
  }

  private static RawResponse postResponses(int port, byte[] body) throws Exception {
    try (RawClient c = post(port, "/v1/responses", "Authorization: Bearer " + TestConfigs.CLIENT_KEY + "\r\n", body)) {
      return c.readToEnd(Duration.ofSeconds(120), 64 * 1024, Duration.ZERO);
    }
  }

  /** Sends {@code body} to {@code /v1/messages}; a refusal may come before the whole body went out. */
  private static RawResponse sendMessages(int port, byte[] body) throws Exception {
    try (RawClient c = post(port, "/v1/messages", "x-api-key: " + TestConfigs.CLIENT_KEY
        + "\r\nanthropic-version: 2023-06-01\r\n", body)) {
      return c.readToEnd(Duration.ofSeconds(120), 64 * 1024, Duration.ZERO);
    }
  }

  private static RawClient send(int port) throws Exception {
    byte[] body = ("{\"model\":\"" + TestConfigs.MODEL + "\",\"stream\":true,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"hi\"}]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return post(port, "/v1/chat/completions", "Authorization: Bearer " + TestConfigs.CLIENT_KEY + "\r\n", body);
  }

  private static boolean isWhole(String body) {
    return body.length() > CONTENT_BYTES && body.contains("x".repeat(1000) + "\"") && body.contains("data: [DONE]");
  }
}
