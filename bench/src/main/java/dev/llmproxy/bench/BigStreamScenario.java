package dev.llmproxy.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The large stream (5): the same {@code bigMiB} response read by the SSE client, which also watches the
 * gateway's heap, and by curl into /dev/null. Both check the exact byte count and the final [DONE].
 */
record BigStreamScenario(Settings s, Endpoints endpoints, InterleavedRounds rounds, SseClient sseClient,
    GatewayProbe probe) {
  private static final long MIB = 1024 * 1024;

  /** One relay: throughput and (gateway only) heap readings in bytes; liveMid &lt; 0 when not measured. */
  record Transfer(double mibPerSecond, long liveBefore, long liveMid, long usedPeak) {}

  /** The measured rounds, read by the SSE client and by curl. */
  record Result(List<Round<Transfer>> sse, List<Round<Double>> curl) {}

  Result measure() throws Exception {
    // Warm the large-event relay path (parser, scanner, frame handling) before the measured rounds.
    transfer(Target.DIRECT, false);
    transfer(Target.GATEWAY, false);
    transfer(Target.GATEWAY, false);
    if (rounds.hasPeer()) {
      transfer(Target.PEER, false);
      if (s.hasVariant()) {
        transfer(Target.PEER, false);
      }
    }
    List<Round<Transfer>> sse = new ArrayList<>();
    List<Round<Double>> curl = new ArrayList<>();
    for (int r = 1; r <= s.bigRounds(); r++) {
      boolean last = r == s.bigRounds();
      rounds.awaitQuiet();
      Round<Transfer> round = rounds.run(t -> transfer(t, last && t == Target.GATEWAY));
      sse.add(round);
      Round<Double> raw = rounds.run(this::curlMiBPerSecond);
      curl.add(raw);
      Bench.log(String.format(
          "%d MiB stream round %d: direct %.0f MiB/s | gateway %.0f MiB/s%s (raw sink: %.0f | %.0f%s)", s.bigMiB(), r,
          round.direct().mibPerSecond(), round.gateway().mibPerSecond(),
          round.peer() == null ? "" : String.format(" | third leg %.0f MiB/s", round.peer().mibPerSecond()),
          raw.direct(), raw.gateway(), raw.peer() == null ? "" : String.format(" | %.0f", raw.peer())));
    }
    return new Result(sse, curl);
  }

  private Transfer transfer(Target target, boolean measureLiveHeap) throws Exception {
    URI uri = URI.create(endpoints.url(target, "big/" + s.bigMiB()));
    boolean viaGateway = target == Target.GATEWAY;
    long liveBefore = viaGateway ? probe.liveHeap() : 0;
    long usedPeak = 0;
    long liveMid = -1;
    SseClient.Stream st = sseClient.open(uri, ChatRequests.body("bench-big", true), SseClient.Check.BYTES,
        SseClient.Stream.NONE);
    long expected = s.bigMiB() * MIB;
    while (!st.done.isDone()) {
      if (viaGateway) {
        usedPeak = Math.max(usedPeak, probe.heapUsed());
        if (measureLiveHeap && liveMid < 0 && st.bytes > expected / 2) {
          liveMid = probe.liveHeap();
        }
      }
      Thread.sleep(50);
    }
    st.done.get();
    if (!st.ok() || st.bytes != expected + FakeUpstream.DONE.length) {
      throw new IllegalStateException("big stream failed: status " + st.status + ", " + st.bytes + " bytes, "
          + st.failure);
    }
    double seconds = (st.endNanos - st.startNanos) / 1e9;
    return new Transfer(st.bytes / seconds / MIB, liveBefore, liveMid, usedPeak);
  }

  /** The same big response read by curl into /dev/null: the fastest possible client, no event parsing. */
  private double curlMiBPerSecond(Target target) throws Exception {
    String url = endpoints.url(target, "big/" + s.bigMiB());
    Process p = new ProcessBuilder("curl", "-s", "-o", "/dev/null",
        "-w", "%{http_code} %{size_download} %{speed_download}", "-X", "POST",
        "-H", "Authorization: Bearer " + ChatRequests.CLIENT_KEY, "-H", "Content-Type: application/json",
        "--data-binary", new String(ChatRequests.body("bench-big", true), StandardCharsets.UTF_8), url)
        .redirectErrorStream(true).start();
    String[] out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim().split(" ");
    if (p.waitFor() != 0 || !out[0].equals("200")
        || Long.parseLong(out[1]) != s.bigMiB() * MIB + FakeUpstream.DONE.length) {
      throw new IllegalStateException("curl big stream failed: " + String.join(" ", out));
    }
    return Double.parseDouble(out[2]) / MIB;
  }
}
