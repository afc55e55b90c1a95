package dev.llmproxy.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FakeUpstreamTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  @RegisterExtension @Order(1) static final FakeUpstream upstream = new FakeUpstream();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();

  @Test
  void recordsMethodPathHeadersBodyAndRemoteAddress() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(upstream.baseUrl() + "/chat/completions?trace=1"))
            .header("Authorization", "Bearer upstream-key")
            .header("X-Multi", "a")
            .header("X-Multi", "b")
            .POST(BodyPublishers.ofString("{\"model\":\"gpt-x\",\"messages\":[]}"))
            .build();

    http.send(request, BodyHandlers.ofString());

    RecordedRequest recorded = upstream.awaitRequests(1, WAIT).get(0);
    assertEquals("POST", recorded.method());
    assertEquals("/v1/chat/completions?trace=1", recorded.path());
    assertEquals("/v1/chat/completions", recorded.pathWithoutQuery());
    assertEquals("Bearer upstream-key", recorded.header("authorization"));
    assertEquals(List.of("a", "b"), recorded.headerValues("x-multi"));
    assertEquals("gpt-x", recorded.model());
    assertFalse(recorded.isStream());
    assertEquals("127.0.0.1", recorded.remoteAddress());
  }

  @Test
  void servesHttpsWithTheGivenCertificateOnly() throws Exception {
    try (SelfSignedCertificate certificate = SelfSignedCertificate.forLoopback();
        FakeUpstream tls = FakeUpstream.https(certificate).start()) {
      HttpClient trusting = HttpClient.newBuilder().sslContext(certificate.clientSslContext()).build();
      HttpRequest models = HttpRequest.newBuilder(URI.create(tls.baseUrl() + "/models")).build();

      assertEquals("https://127.0.0.1:" + tls.port() + "/v1", tls.baseUrl());
      assertEquals(200, trusting.send(models, BodyHandlers.ofString()).statusCode());
      assertEquals("/v1/models", tls.lastRequest().path());
      assertThrows(SSLHandshakeException.class, () -> http.send(models, BodyHandlers.ofString()),
          "a client with the JVM's default trust refuses the self-signed certificate");
      assertEquals(1, tls.requests().size());
    }
  }

  @Test
  void defaultChatCompletionEchoesTheModel() throws Exception {
    HttpResponse<String> response = http.send(chat("{\"model\":\"gpt-echo\"}"), BodyHandlers.ofString());

    assertEquals(200, response.statusCode());
    RecordedRequest recorded = upstream.lastRequest();
    assertEquals("gpt-echo", recorded.model());
    String body = response.body();
    assertTrue(body.contains("\"object\":\"chat.completion\""), body);
    assertTrue(body.contains("\"model\":\"gpt-echo\""), body);
  }

  @Test
  void defaultStreamSendsThreeChunksThenDone() throws Exception {
    HttpResponse<InputStream> response =
        http.send(chat("{\"model\":\"gpt-s\",\"stream\":true}"), BodyHandlers.ofInputStream());

    assertEquals("text/event-stream", response.headers().firstValue("content-type").orElse(""));
    try (SseEvents events = SseEvents.of(response)) {
      List<SseEvent> all = events.remaining(WAIT);
      assertEquals(4, all.size(), all.toString());
      for (SseEvent chunk : all.subList(0, 3)) {
        assertEquals("chat.completion.chunk", chunk.json().path("object").asText());
        assertEquals("gpt-s", chunk.json().path("model").asText());
      }
      assertEquals(OpenAiResponder.CONTENT, all.get(0).deltaContent() + all.get(1).deltaContent());
      assertEquals("stop", all.get(2).json().path("choices").path(0).path("finish_reason").asText());
      assertTrue(all.get(3).isDone());
    }
    assertEquals(new StreamStats(1, 1, 0, 0), upstream.awaitCompletedStreams(1, WAIT));
  }

  @Test
  void defaultModelsListsFakeModels() throws Exception {
    HttpResponse<String> response =
        http.send(HttpRequest.newBuilder(URI.create(upstream.baseUrl() + "/models")).build(), BodyHandlers.ofString());

    assertEquals(200, response.statusCode());
    assertTrue(response.body().contains("\"id\":\"fake-model-1\""), response.body());
  }

  @Test
  void scriptedJsonCarriesStatusAndHeaders() throws Exception {
    upstream.respondWith(request -> UpstreamResponse.json(418, "{\"teapot\":true}", "X-Upstream", "yes"));

    HttpResponse<String> response = http.send(chat("{}"), BodyHandlers.ofString());

    assertEquals(418, response.statusCode());
    assertEquals("{\"teapot\":true}", response.body());
    assertEquals("yes", response.headers().firstValue("x-upstream").orElse(""));
    assertEquals("application/json", response.headers().firstValue("content-type").orElse(""));
  }

  @Test
  void rateLimitedSendsRetryAfterInSeconds() throws Exception {
    upstream.respondWith(request -> UpstreamResponse.rateLimited(Duration.ofMillis(1500)));

    HttpResponse<String> response = http.send(chat("{}"), BodyHandlers.ofString());

    assertEquals(429, response.statusCode());
    assertEquals("2", response.headers().firstValue("retry-after").orElse(""));
    assertTrue(response.body().contains("\"code\":\"rate_limit_exceeded\""), response.body());
  }

  @Test
  void responderFailureBecomes500() throws Exception {
    upstream.respondWith(
        request -> {
          throw new IllegalStateException("boom");
        });

    HttpResponse<String> response = http.send(chat("{}"), BodyHandlers.ofString());

    assertEquals(500, response.statusCode());
    assertTrue(response.body().contains("boom"), response.body());
  }

  @Test
  void streamHoldsEventTwoUntilTheLatchOpens() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    upstream.respondWith(
        request ->
            UpstreamResponse.sse(
                SseStep.data("one"), SseStep.await(release), SseStep.data("two"), SseStep.done()));

    try (SseEvents events = SseEvents.of(http.send(chat("{}"), BodyHandlers.ofInputStream()))) {
      assertEquals("one", events.next().data());
      assertEquals(1, release.getCount(), "event one arrived while the fake still held event two");
      release.countDown();
      assertEquals("two", events.next().data());
      assertTrue(events.next().isDone());
      assertTrue(events.nextOrEnd(WAIT).isEmpty());
    }
  }

  @Test
  void abortCutsTheStreamMidway() throws Exception {
    upstream.respondWith(request -> UpstreamResponse.sse(SseStep.data("one"), SseStep.abort()));

    try (SseEvents events = SseEvents.of(http.send(chat("{}"), BodyHandlers.ofInputStream()))) {
      assertEquals("one", events.next().data());
      assertThrows(UncheckedIOException.class, () -> events.nextOrEnd(WAIT));
    }
    assertEquals(1, upstream.streamStats().aborted());
  }

  @Test
  void clientDisconnectIsCountedAsCancelledStream() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    upstream.respondWith(
        request ->
            UpstreamResponse.sse(
                SseStep.data("one"),
                SseStep.await(release),
                SseStep.data("two"),
                SseStep.sleep(Duration.ofMillis(50)),
                SseStep.data("three"),
                SseStep.done()));

    SseEvents events = SseEvents.of(http.send(chat("{}"), BodyHandlers.ofInputStream()));
    assertEquals("one", events.next().data());
    events.close();
    release.countDown();

    StreamStats stats = upstream.awaitCancelledStreams(1, WAIT);
    assertEquals(0, stats.completed());
  }

  @Test
  void clientDisconnectDuringStallIsCounted() throws Exception {
    upstream.respondWith(request -> UpstreamResponse.sse(SseStep.data("one"), SseStep.stall()));

    SseEvents events = SseEvents.of(http.send(chat("{}"), BodyHandlers.ofInputStream()));
    assertEquals("one", events.next().data());
    assertEquals(1, upstream.streamStats().open());
    events.close();

    upstream.awaitCancelledStreams(1, WAIT);
  }

  @Test
  void stallBeforeHeadersNeverAnswers() throws Exception {
    upstream.respondWith(request -> UpstreamResponse.stallBeforeHeaders());
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(upstream.baseUrl() + "/chat/completions"))
            .timeout(Duration.ofMillis(300))
            .POST(BodyPublishers.ofString("{}"))
            .build();

    assertThrows(HttpTimeoutException.class, () -> http.send(request, BodyHandlers.ofString()));
    assertEquals(1, upstream.awaitCancelledStreams(1, WAIT).cancelled());
  }

  @Test
  void clientDisconnectWhileTheLatchIsClosedIsCountedWithoutReleasingIt() throws Exception {
    CountDownLatch neverReleased = new CountDownLatch(1);
    upstream.respondWith(
        request -> UpstreamResponse.sse(SseStep.data("one"), SseStep.await(neverReleased), SseStep.done()));

    SseEvents events = SseEvents.of(http.send(chat("{}"), BodyHandlers.ofInputStream()));
    assertEquals("one", events.next().data());
    events.close();

    assertEquals(new StreamStats(1, 0, 1, 0), upstream.awaitCancelledStreams(1, WAIT));
  }

  @Test
  void closeWithoutResponseFailsTheClient() {
    upstream.respondWith(request -> UpstreamResponse.closeWithoutResponse());

    IOException failure = assertThrows(IOException.class, () -> http.send(chat("{}"), BodyHandlers.ofString()));
    assertFalse(failure instanceof HttpTimeoutException);
  }

  @Test
  void resetWithoutResponseResetsTheConnection() throws Exception {
    upstream.respondWith(request -> UpstreamResponse.resetWithoutResponse());

    try (RawClient client = RawClient.connect(upstream.port())) {
      client.post("/v1/chat/completions", "k", "{}");
      IOException failure = assertThrows(IOException.class, () -> client.readAll(5_000));
      assertTrue(failure.getMessage().contains("reset"), failure.toString());
    }
  }

  @Test
  void pacedStreamSendsEveryChunkThenDone() throws Exception {
    upstream.respondWith(request -> UpstreamResponse.pacedStream("m", 5, Duration.ofMillis(10), 16));

    try (SseEvents events = SseEvents.of(http.send(chat("{}"), BodyHandlers.ofInputStream()))) {
      List<SseEvent> all = events.remaining(WAIT);
      assertEquals(7, all.size());
      assertEquals("x".repeat(16), all.get(0).deltaContent());
      assertEquals("m", all.get(4).json().path("model").asText());
      assertTrue(all.get(6).isDone());
    }
    upstream.awaitCompletedStreams(1, WAIT);
  }

  @Test
  void delayedResponseArrivesAfterTheDelay() throws Exception {
    upstream.respondWith(
        request -> UpstreamResponse.delayed(Duration.ofMillis(100), UpstreamResponse.json("{\"late\":1}")));
    long start = System.nanoTime();

    HttpResponse<String> response = http.send(chat("{}"), BodyHandlers.ofString());

    assertEquals("{\"late\":1}", response.body());
    assertTrue(System.nanoTime() - start >= Duration.ofMillis(100).toNanos());
  }

  @Test
  void awaitRequestsNamesWhatArrivedWhenItTimesOut() {
    AssertionError error =
        assertThrows(AssertionError.class, () -> upstream.awaitRequests(1, Duration.ofMillis(50)));
    assertTrue(error.getMessage().contains("expected 1 upstream requests"), error.getMessage());
  }

  @Test
  void eachTestStartsWithAnEmptyLogAndTheDefaultResponder() {
    assertEquals(List.of(), upstream.requests());
    assertEquals(new StreamStats(0, 0, 0, 0), upstream.streamStats());
  }

  private HttpRequest chat(String body) {
    return HttpRequest.newBuilder(URI.create(upstream.baseUrl() + "/chat/completions"))
        .header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString(body))
        .build();
  }
}
