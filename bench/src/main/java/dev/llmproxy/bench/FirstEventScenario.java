package dev.llmproxy.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Time to first event (3): sequential streaming requests on a kept-alive connection, each timed from
 * sending the request to its first complete SSE event.
 */
record FirstEventScenario(Settings s, Endpoints endpoints, InterleavedRounds rounds, SseClient sse) {
  private static final int WARM_UP_ROUNDS = 5;
  private static final int WARM_UP_REQUESTS = 300;

  /** Unmeasured streams on every target, interleaved like the measured rounds but without CPU readings. */
  void warmUp() throws Exception {
    for (int i = 0; i < WARM_UP_ROUNDS; i++) {
      timesToFirstEvent(Target.DIRECT, WARM_UP_REQUESTS);
      timesToFirstEvent(Target.GATEWAY, WARM_UP_REQUESTS);
      if (rounds.hasPeer()) {
        timesToFirstEvent(Target.PEER, WARM_UP_REQUESTS);
      }
    }
  }

  /** Each round holds every request's time to its first event, ms. */
  List<Round<double[]>> measure() throws Exception {
    List<Round<double[]>> out = new ArrayList<>();
    for (int r = 1; r <= s.rounds(); r++) {
      rounds.awaitQuiet();
      Round<double[]> round = rounds.run(t -> timesToFirstEvent(t, s.firstEventRequests()));
      out.add(round);
      Bench.log(String.format("first event round %d: direct p50 %.3f ms | gateway p50 %.3f ms%s", r,
          Percentiles.percentile(round.direct(), 50), Percentiles.percentile(round.gateway(), 50),
          round.peer() == null ? ""
              : String.format(" | third leg p50 %.3f ms", Percentiles.percentile(round.peer(), 50))));
    }
    return out;
  }

  /** Sequential streaming requests (c=1); returns each request's time to its first event, ms. */
  private double[] timesToFirstEvent(Target target, int n) throws Exception {
    URI uri = URI.create(endpoints.url(target, "sse/5/0"));
    byte[] body = ChatRequests.body("bench-ttfe", true);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      SseClient.Stream st = sse.open(uri, body, SseClient.Check.SEQUENCE, SseClient.Stream.NONE).done.get(30, TimeUnit.SECONDS);
      if (!st.ok() || st.dataEvents() != 5 || st.reordered != 0) {
        throw new IllegalStateException("first-event stream failed: status " + st.status + " " + st.failure);
      }
      out[i] = st.firstEventMillis();
    }
    return out;
  }
}
