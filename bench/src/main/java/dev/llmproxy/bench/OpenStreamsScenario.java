package dev.llmproxy.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Concurrent open streams (4), one target at a time (directly, through the gateway, through a second
 * gateway): opens {@code streams} paced streams at {@code rampPerSecond}, samples a gateway's threads at
 * 1,000 open streams and its threads and heap at the peak, then checks every event of every stream. The
 * client side of the streams is this process, the upstream's side the upstream's: a gateway holds two
 * files per stream over HTTP/1.1, the others one.
 */
record OpenStreamsScenario(Settings s, Endpoints endpoints, InterleavedRounds rounds) {
  private static final long SETTLE_NANOS = 15_000_000_000L;
  private static final long FINISH_GRACE_MILLIS = 60_000;

  /** What one run found; filled in as the run goes, read by the report once it is over. */
  static final class Result {
    int target;
    int openAtSample;
    int peakOpen;
    int completed;
    long lostEvents;
    long reordered;
    int threadsBefore;
    int threadsAt1k;
    int threadsAtPeak;
    long liveHeapBefore;
    long heapUsedAtPeak;
    long heapCommittedAtPeak;
    long liveHeapAtPeak;
    double seconds;
    /** Whether threads and heap were read (a gateway); direct has no probe. */
    boolean probed;
    Map<String, Integer> failures = Map.of();
    Map<String, Integer> threadNames = Map.of();

    boolean intact() {
      return lostEvents == 0 && reordered == 0 && completed == target;
    }

    /** Live heap the open streams added, per stream, in bytes. */
    double heapPerStream() {
      return peakOpen == 0 ? 0 : (liveHeapAtPeak - liveHeapBefore) / (double) peakOpen;
    }
  }

  /** Counts streams that have had their first event and not yet ended; called from client threads. */
  private static final class OpenCount implements SseClient.Stream.Observer {
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger peak = new AtomicInteger();

    @Override
    public void onFirstEvent(SseClient.Stream st) {
      peak.accumulateAndGet(open.incrementAndGet(), Math::max);
    }

    @Override
    public void onEnd(SseClient.Stream st) {
      if (st.events > 0) {
        open.decrementAndGet();
      }
    }
  }

  /** One run against {@code target}; {@code probe} reads the gateway's threads and heap (null for direct). */
  Result measure(Target target, GatewayProbe probe) throws Exception {
    int count = s.streams();
    rounds.awaitQuiet();
    Result result = new Result();
    result.probed = probe != null;
    if (probe != null) {
      result.threadsBefore = probe.threadCount();
      result.liveHeapBefore = probe.liveHeap();
    }
    Bench.log("opening " + count + " paced streams " + target.name().toLowerCase() + " (" + s.streamEvents()
        + " events, one every " + s.streamPaceMillis() + " ms)");
    OpenCount open = new OpenCount();
    long start = System.nanoTime();
    result.target = count;
    Map<String, Integer> failures;
    // A client of its own, stopped after the run: its kept-alive connections would otherwise hold files in this
    // process and the next target's for minutes.
    try (SseClient sse = new SseClient(count + 100)) {
      List<SseClient.Stream> streams = rampUp(sse, URI.create(endpoints.url(target, "sse/" + s.streamEvents() + "/"
          + s.streamPaceMillis())), result, open, start, probe);
      // Sample at the peak: wait (bounded) until every stream has its first event.
      long settle = System.nanoTime() + SETTLE_NANOS;
      while (open.open.get() < count && System.nanoTime() < settle) {
        Thread.sleep(20);
      }
      result.openAtSample = open.open.get();
      if (probe != null) {
        sampleAtPeak(result, probe);
      }
      failures = awaitEnds(result, streams);
    }
    result.peakOpen = open.peak.get();
    result.failures = failures;
    result.seconds = (System.nanoTime() - start) / 1e9;
    Bench.log("streams " + target.name().toLowerCase() + ": peak open " + result.peakOpen + ", completed "
        + result.completed + ", lost events " + result.lostEvents + ", reordered " + result.reordered
        + (failures.isEmpty() ? "" : ", failures " + failures));
    return result;
  }

  /** Opens the streams in batches at the configured rate, sampling the gateway's threads at 1,000 open. */
  private List<SseClient.Stream> rampUp(SseClient sse, URI uri, Result result, OpenCount count, long start, GatewayProbe probe)
      throws InterruptedException {
    byte[] body = ChatRequests.body("bench-hold", true);
    List<SseClient.Stream> streams = new ArrayList<>(result.target);
    int batch = Math.max(1, s.rampPerSecond() / 20);
    while (streams.size() < result.target) {
      for (int i = 0; i < batch && streams.size() < result.target; i++) {
        streams.add(sse.open(uri, body, SseClient.Check.SEQUENCE, count));
      }
      if (probe != null && result.threadsAt1k == 0 && count.open.get() >= 1000) {
        result.threadsAt1k = probe.threadCount();
      }
      long due = start + (long) streams.size() * 1_000_000_000L / s.rampPerSecond();
      long sleep = due - System.nanoTime();
      if (sleep > 0) {
        Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
      }
    }
    return streams;
  }

  private static void sampleAtPeak(Result result, GatewayProbe probe) {
    result.threadsAtPeak = probe.threadCount();
    result.heapUsedAtPeak = probe.heapUsed();
    result.heapCommittedAtPeak = probe.heapCommitted();
    result.liveHeapAtPeak = probe.liveHeap();
    result.threadNames = probe.threadsByName();
    Bench.log("open streams " + result.openAtSample + ": gateway threads " + result.threadsAtPeak + ", live heap "
        + result.liveHeapAtPeak / (1024 * 1024) + " MiB");
  }

  /** Waits for every stream to end and counts what arrived; returns the failures by cause. */
  private Map<String, Integer> awaitEnds(Result result, List<SseClient.Stream> streams) throws Exception {
    long deadline = System.nanoTime()
        + TimeUnit.MILLISECONDS.toNanos((long) s.streamEvents() * s.streamPaceMillis() + FINISH_GRACE_MILLIS);
    Map<String, Integer> failures = new TreeMap<>();
    for (SseClient.Stream st : streams) {
      try {
        st.done.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        failures.merge("did not finish in time", 1, Integer::sum);
        result.lostEvents += s.streamEvents() - st.dataEvents();
        continue;
      }
      result.lostEvents += Math.max(0, s.streamEvents() - st.dataEvents());
      result.reordered += st.reordered;
      if (st.ok() && st.dataEvents() == s.streamEvents()) {
        result.completed++;
      } else {
        failures.merge(st.failure != null ? st.failure.toString() : "status " + st.status + ", done=" + st.sawDone, 1,
            Integer::sum);
      }
    }
    return failures;
  }
}
