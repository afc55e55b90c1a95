package dev.llmproxy.bench;

import java.util.ArrayList;
import java.util.List;

/** The non-streaming scenarios, driven by wrk: added latency at c=1 (1) and throughput at saturation (2). */
record PlainRequestScenarios(Settings s, Endpoints endpoints, InterleavedRounds rounds, Wrk wrk) {
  /** Unmeasured runs of the JSON path on every target, the gateway's first and longest. */
  void warmUp() throws Exception {
    wrk.run(endpoints.gateway(), 2, 16, s.warmupSeconds());
    wrk.run(endpoints.gateway(), 1, 1, Math.max(1, s.warmupSeconds() / 3));
    wrk.run(endpoints.url(Target.DIRECT, "json"), 2, 16, Math.max(1, s.warmupSeconds() / 3));
    if (rounds.hasPeer()) {
      // A second gateway needs the first one's warm-up; nginx is compiled already.
      wrk.run(endpoints.url(Target.PEER, "json"), 2, 16, s.hasVariant() ? s.warmupSeconds()
          : Math.max(1, s.warmupSeconds() / 3));
      if (s.hasVariant()) {
        wrk.run(endpoints.url(Target.PEER, "json"), 1, 1, Math.max(1, s.warmupSeconds() / 3));
      }
    }
    if (s.measuresContainerFloor()) {
      wrk.run(endpoints.url(Target.FLOOR, "json"), 2, 16, Math.max(1, s.warmupSeconds() / 2));
    }
  }

  /** wrk on a target's JSON path. */
  private InterleavedRounds.Leg<Wrk.Result> json(int threads, int connections, int seconds) {
    return t -> wrk.run(endpoints.url(t, "json"), threads, connections, seconds);
  }

  /**
   * The measured load again, unmeasured, for {@code bench.settleSeconds} before each measured run: see
   * {@link InterleavedRounds#run(InterleavedRounds.Leg, InterleavedRounds.Leg)}. None when 0.
   */
  private InterleavedRounds.Leg<Wrk.Result> settle(int threads, int connections) {
    return s.settleSeconds() == 0 ? null : json(threads, connections, s.settleSeconds());
  }

  /**
   * The interleaved rounds of one load, and after each the container floor ({@link FloorServlet}) under the same
   * load (empty when the floor does not run): how much of the gateway's numbers its container already has.
   */
  record RoundsAndFloor(List<Round<Wrk.Result>> rounds, List<InterleavedRounds.Measured<Wrk.Result>> floor) {}

  /** Added latency at c=1. */
  RoundsAndFloor measureLatency() throws Exception {
    return measure(settle(1, 1), json(1, 1, s.latencySeconds()), (r, round, floor) -> String.format(
        "latency c=1 round %d: direct p50 %.3f p99 %.3f ms | gateway p50 %.3f p99 %.3f ms%s%s",
        r, round.direct().p50(), round.direct().p99(), round.gateway().p50(), round.gateway().p99(),
        round.peer() == null ? "" : String.format(" | third leg p50 %.3f p99 %.3f ms", round.peer().p50(),
            round.peer().p99()),
        floor == null ? "" : String.format(" | container floor p50 %.3f p99 %.3f ms", floor.p50(), floor.p99())));
  }

  /** Throughput at saturation. */
  RoundsAndFloor measureSaturation() throws Exception {
    return measure(settle(s.saturationThreads(), s.saturationConnections()),
        json(s.saturationThreads(), s.saturationConnections(), s.saturationSeconds()), (r, round, floor) ->
        String.format("saturation c=%d round %d: direct %.0f req/s | gateway %.0f req/s%s%s (errors %d/%d%s%s)",
            s.saturationConnections(), r, round.direct().requestsPerSecond(), round.gateway().requestsPerSecond(),
            round.peer() == null ? "" : String.format(" | third leg %.0f req/s", round.peer().requestsPerSecond()),
            floor == null ? "" : String.format(" | container floor %.0f req/s", floor.requestsPerSecond()),
            round.direct().errors(), round.gateway().errors(), round.peer() == null ? "" : "/" + round.peer().errors(),
            floor == null ? "" : "/" + floor.errors()));
  }

  /** What a round's log line says: its number, the round, and the floor's run after it (null when none). */
  private interface RoundLog {
    String line(int round, Round<Wrk.Result> measured, Wrk.Result floor);
  }

  private RoundsAndFloor measure(InterleavedRounds.Leg<Wrk.Result> settle, InterleavedRounds.Leg<Wrk.Result> load,
      RoundLog log) throws Exception {
    RoundsAndFloor out = new RoundsAndFloor(new ArrayList<>(), new ArrayList<>());
    for (int r = 1; r <= s.rounds(); r++) {
      rounds.awaitQuiet();
      Round<Wrk.Result> round = rounds.run(settle, load);
      out.rounds().add(round);
      InterleavedRounds.Measured<Wrk.Result> floor = null;
      if (s.measuresContainerFloor()) {
        floor = rounds.runAlone(settle, load, Target.FLOOR);
        out.floor().add(floor);
      }
      Bench.log(log.line(r, round, floor == null ? null : floor.result()));
    }
    return out;
  }
}
