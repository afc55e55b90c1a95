package dev.llmproxy.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Translation cost per streamed event (6): the same upstream stream ({@code dialectEvents} chat chunks, as
 * fast as they go) asked for through each client dialect's streaming endpoint; the gateway's CPU per
 * upstream event, measured from /proc around each batch, less what the OpenAI pass-through spends, is
 * what translating an event costs. Through the gateway only; dialects interleaved, medians over rounds.
 */
record DialectScenario(Settings s, InterleavedRounds rounds, SseClient sse) {
  private static final String PROMPT = "Say hello in one short sentence.";

  /** A client dialect's streaming request. */
  record Dialect(String name, String path, String body) {}

  static final List<Dialect> DIALECTS = List.of(
      new Dialect("OpenAI chat completions (pass-through)", "/v1/chat/completions",
          "{\"model\":\"" + GatewayLaunch.EVENTS_MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT
              + "\"}],\"stream\":true}"),
      new Dialect("Anthropic Messages", "/v1/messages",
          "{\"model\":\"" + GatewayLaunch.EVENTS_MODEL + "\",\"max_tokens\":1024,\"messages\":[{\"role\":\"user\","
              + "\"content\":\"" + PROMPT + "\"}],\"stream\":true}"),
      new Dialect("OpenAI Responses", "/v1/responses",
          "{\"model\":\"" + GatewayLaunch.EVENTS_MODEL + "\",\"input\":\"" + PROMPT + "\",\"stream\":true}"),
      new Dialect("Gemini (alt=sse)", "/v1beta/models/" + GatewayLaunch.EVENTS_MODEL + ":streamGenerateContent?alt=sse",
          "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"" + PROMPT + "\"}]}]}"));

  /** One batch: requests made, events the client got, wall time. */
  record Batch(int requests, long clientEvents, double seconds) {}

  /** Per dialect (in {@link #DIALECTS} order), its batches with what each process spent on them. */
  record Result(Map<Dialect, List<InterleavedRounds.Measured<Batch>>> byDialect) {}

  Result measure() throws Exception {
    Map<Dialect, List<InterleavedRounds.Measured<Batch>>> out = new LinkedHashMap<>();
    DIALECTS.forEach(d -> out.put(d, new ArrayList<>()));
    Bench.log("dialects: warming up");
    for (Dialect d : DIALECTS) {
      batch(d, s.dialectRequests());
    }
    for (int r = 1; r <= s.rounds(); r++) {
      rounds.awaitQuiet();
      for (int i = 0; i < DIALECTS.size(); i++) {
        Dialect d = DIALECTS.get((i + r) % DIALECTS.size()); // a different one goes first each round
        InterleavedRounds.Measured<Batch> m = rounds.runAlone(t -> batch(d, s.dialectRequests()), Target.GATEWAY);
        out.get(d).add(m);
        Bench.log(String.format("dialects round %d: %s %.1f µs of gateway CPU per upstream event", r, d.name(),
            m.cpu().of(CpuMeter.Role.GATEWAY) * 1e6 / ((double) m.result().requests() * s.dialectEvents())));
      }
    }
    return new Result(out);
  }

  /** {@code n} streams, {@code dialectConcurrency} at a time; each must arrive whole (200, every event). */
  private Batch batch(Dialect d, int n) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + s.gatewayPort() + d.path());
    byte[] body = d.body().getBytes(StandardCharsets.UTF_8);
    long events = 0;
    long t0 = System.nanoTime();
    for (int done = 0; done < n; ) {
      List<SseClient.Stream> open = new ArrayList<>();
      for (int i = 0; i < s.dialectConcurrency() && done + i < n; i++) {
        open.add(sse.open(uri, body, SseClient.Check.EVENTS, SseClient.Stream.NONE));
      }
      for (SseClient.Stream st : open) {
        st.done.get(60, TimeUnit.SECONDS);
        if (!st.ok() || st.events < s.dialectEvents()) {
          throw new IllegalStateException(d.name() + " stream failed: status " + st.status + ", " + st.events
              + " events, " + st.failure);
        }
        events += st.events;
      }
      done += open.size();
    }
    return new Batch(n, events, (System.nanoTime() - t0) / 1e9);
  }
}
