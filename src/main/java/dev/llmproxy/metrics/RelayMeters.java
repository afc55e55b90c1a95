package dev.llmproxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@link RelayMetrics} on Micrometer meters: {@code llmproxy_requests_total},
 * {@code llmproxy_request_duration_seconds}, {@code llmproxy_first_byte_seconds},
 * {@code llmproxy_upstream_attempts_total}, {@code llmproxy_tokens_total}, {@code llmproxy_streams_open} and
 * {@code llmproxy_session_affinity_total}.
 *
 * <p>Hot path: meters are built once per label combination and kept in nested concurrent maps (dialect,
 * endpoint, model; then an array indexed by status), so a request costs a few map lookups that allocate
 * nothing and the meters' own lock-free updates (adders, atomic bucket arrays). The label sets are
 * bounded by the config (see {@link RelayMetrics}); meters of models a reload removed stay until undeploy.
 * Thread-safe.
 */
final class RelayMeters implements RelayMetrics {
  /** Buckets for whole requests: streams last minutes, so the buckets reach 10 minutes. */
  private static final Duration[] DURATION_BUCKETS = seconds(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
      60, 120, 300, 600);
  /** Buckets for the first byte: what a user waits before anything appears. */
  private static final Duration[] FIRST_BYTE_BUCKETS = seconds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
      10, 30, 60);
  private static final int STATUSES = 600;
  private static final AttemptOutcome[] OUTCOMES = AttemptOutcome.values();

  private final MeterRegistry registry;
  private final ConcurrentMap<String, ConcurrentMap<String, ConcurrentMap<String, RouteMeters>>> routes =
      new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter[]> tokens = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, AtomicReferenceArray<Counter>> attempts = new ConcurrentHashMap<>();
  private final LongAdder openStreams = new LongAdder();
  /** By outcome, made at start: three series, there from the first scrape (zero while affinity is off). */
  private final Map<String, Counter> sessions;

  RelayMeters(MeterRegistry registry) {
    this.registry = registry;
    Map<String, Counter> byOutcome = new HashMap<>();
    for (String outcome : new String[] {"kept", "moved", "new"}) {
      byOutcome.put(outcome, Counter.builder("llmproxy.session.affinity")
          .description("Answered requests of client sessions under routing.session-affinity, by what their binding "
              + "did")
          .tags("outcome", outcome)
          .register(registry));
    }
    this.sessions = Map.copyOf(byOutcome);
    Gauge.builder("llmproxy.streams.open", openStreams, LongAdder::sum)
        .description("Event streams being relayed to clients now")
        .strongReference(true)
        .register(registry);
  }

  /** The meters of one (dialect, endpoint, model), each status counter made on first use. */
  private final class RouteMeters {
    final String dialect;
    final String endpoint;
    final String model;
    final Timer duration;
    final Timer firstByte;
    final AtomicReferenceArray<Counter> byStatus = new AtomicReferenceArray<>(STATUSES);

    RouteMeters(String dialect, String endpoint, String model) {
      this.dialect = dialect;
      this.endpoint = endpoint;
      this.model = model;
      this.duration = Timer.builder("llmproxy.request.duration")
          .description("Time from a request's arrival to its last byte")
          .tags("dialect", dialect, "endpoint", endpoint, "model", model)
          .serviceLevelObjectives(DURATION_BUCKETS)
          .register(registry);
      this.firstByte = Timer.builder("llmproxy.first.byte")
          .description("Time from a request's arrival to the first byte of its answer")
          .tags("dialect", dialect, "endpoint", endpoint, "model", model)
          .serviceLevelObjectives(FIRST_BYTE_BUCKETS)
          .register(registry);
    }

    Counter status(int status) {
      int i = status >= 100 && status < STATUSES ? status : 599;
      Counter c = byStatus.get(i);
      if (c == null) {
        c = Counter.builder("llmproxy.requests")
            .description("Client requests by how they were answered")
            .tags("dialect", dialect, "endpoint", endpoint, "model", model, "status", Integer.toString(i))
            .register(registry);
        // The registry hands out one meter per id, so a lost race stores the same counter.
        byStatus.set(i, c);
      }
      return c;
    }
  }

  private RouteMeters route(String dialect, String endpoint, String model) {
    ConcurrentMap<String, ConcurrentMap<String, RouteMeters>> byEndpoint = routes.get(dialect);
    if (byEndpoint == null) {
      byEndpoint = routes.computeIfAbsent(dialect, k -> new ConcurrentHashMap<>());
    }
    ConcurrentMap<String, RouteMeters> byModel = byEndpoint.get(endpoint);
    if (byModel == null) {
      byModel = byEndpoint.computeIfAbsent(endpoint, k -> new ConcurrentHashMap<>());
    }
    RouteMeters meters = byModel.get(model);
    if (meters == null) {
      meters = byModel.computeIfAbsent(model, m -> new RouteMeters(dialect, endpoint, m));
    }
    return meters;
  }

  @Override
  public void requestFinished(String dialect, String endpoint, String model, int status, long durationNanos) {
    RouteMeters meters = route(dialect, endpoint, model);
    meters.status(status).increment();
    meters.duration.record(durationNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void firstByte(String dialect, String endpoint, String model, long sinceStartNanos) {
    route(dialect, endpoint, model).firstByte.record(sinceStartNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void attemptFinished(String provider, AttemptOutcome outcome) {
    AtomicReferenceArray<Counter> byOutcome = attempts.get(provider);
    if (byOutcome == null) {
      byOutcome = attempts.computeIfAbsent(provider, p -> new AtomicReferenceArray<>(OUTCOMES.length));
    }
    Counter c = byOutcome.get(outcome.ordinal());
    if (c == null) {
      c = Counter.builder("llmproxy.upstream.attempts")
          .description("Upstream attempts by provider and how they ended")
          .tags("provider", provider, "outcome", outcome.label())
          .register(registry);
      byOutcome.set(outcome.ordinal(), c);
    }
    c.increment();
  }

  @Override
  public void tokens(String model, long prompt, long completion) {
    Counter[] counters = tokens.get(model);
    if (counters == null) {
      counters = tokens.computeIfAbsent(model, m -> new Counter[] {tokenCounter(m, "prompt"),
          tokenCounter(m, "completion")});
    }
    if (prompt > 0) {
      counters[0].increment(prompt);
    }
    if (completion > 0) {
      counters[1].increment(completion);
    }
  }

  private Counter tokenCounter(String model, String type) {
    return Counter.builder("llmproxy.tokens")
        .description("Tokens the upstreams reported, by client-visible model")
        .tags("model", model, "type", type)
        .register(registry);
  }

  @Override
  public void streamOpened() {
    openStreams.increment();
  }

  @Override
  public void streamClosed() {
    openStreams.decrement();
  }

  @Override
  public void sessionAnswered(String outcome) {
    Counter c = sessions.get(outcome);
    if (c != null) {
      c.increment();
    }
  }

  private static Duration[] seconds(double... values) {
    Duration[] out = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
    }
    return out;
  }
}
