package dev.llmproxy.limits;

import dev.llmproxy.auth.ClientIdentity;
import dev.llmproxy.config.LimitsConfig;
import dev.llmproxy.error.ClientError;
import dev.llmproxy.error.OpenAiError;
import dev.llmproxy.routing.ExcludedModels;
import dev.llmproxy.routing.SnapshotHolder;
import dev.llmproxy.state.SharedCounters;
import dev.llmproxy.usage.TokenUsage;
import dev.llmproxy.usage.UsageStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * The limits of client keys and signed-in users ({@code api-keys} objects, {@code user-limits}), applied by the relay
 * before any upstream call ({@link #admit}) and fed with what upstreams reported when a request ends
 * ({@link #charge}).
 *
 * <p>Per request, for a client with counted limits: one map lookup, one counter addition for {@code rpm} and a few
 * counter estimates; a client without limits costs one null check. Rates count per calendar minute (UTC): a request
 * counts when admitted ({@code rpm}; a refused one is taken back), tokens when their request ends ({@code tpm}, and
 * the month's tokens and cost). So requests already running when a limit is reached finish, and a request that would
 * start over a limit is refused: {@code model_not_allowed} 403; {@code rate_limit_exceeded} 429 with
 * {@code Retry-After}; {@code insufficient_quota} 429 for a monthly limit.
 *
 * <p>Counters live in {@link SharedCounters}: exact within an instance (additions are atomic and the admission reads
 * its own). With Redis, {@code rpm} is exact across the fleet: each admission waits (asynchronously, for at most
 * {@code state.redis-timeout}) for Redis's answer to its request's addition, its place among the fleet's requests of
 * the minute. For the other counters an instance's view of the fleet's counts comes with each answer to its own
 * additions; when its view of a client is older than {@link #FRESH} the admission waits for the fleet's totals first,
 * so a count made anywhere holds everywhere within a second.
 * When Redis does not answer, each instance counts what it sees (never no limits). Monthly counters start from the
 * durable usage records ({@link MonthlySeeder}).
 *
 * <p>Thread-safe; never blocks. The futures {@link #admit} returns may complete on a Redis or seeding thread.
 */
public final class ClientLimits implements AutoCloseable {
  /** How old an instance's view of a client's shared counters may be before an admission refreshes it. */
  static final Duration FRESH = Duration.ofSeconds(1);
  private static final CompletableFuture<ClientError> ADMITTED = CompletableFuture.completedFuture(null);

  private final SharedCounters counters;
  private final boolean shared;
  private final MonthlySeeder seeder;
  private final Clock clock;
  private final LongSupplier nanos;
  private final ConcurrentMap<String, ClientState> states = new ConcurrentHashMap<>();
  private final ExecutorService io;

  /**
   * @param shared whether {@code counters} are shared with other instances (Redis), so views need refreshing
   * @param io the seeding thread, shut down by {@link #close()}; {@code null} when the caller owns it
   */
  ClientLimits(SharedCounters counters, boolean shared, MonthlySeeder seeder, Clock clock, LongSupplier nanos,
      ExecutorService io) {
    this.counters = counters;
    this.shared = shared;
    this.seeder = seeder;
    this.clock = clock;
    this.nanos = nanos;
    this.io = io;
  }

  /**
   * The limits of a deployment, counting in {@code counters} ({@code shared} with other instances through Redis or
   * not) and seeding monthly counters from {@code store} (priced with the current snapshot's models). Starts one
   * thread for database reads when a month is first seeded ({@code llm-proxy-limits}, gone when idle).
   */
  public static ClientLimits open(SharedCounters counters, boolean shared, UsageStore store, SnapshotHolder snapshots,
      ScheduledExecutorService scheduler, Clock clock) {
    ThreadPoolExecutor io = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "llm-proxy-limits");
      t.setDaemon(true);
      return t;
    });
    io.allowCoreThreadTimeOut(true);
    MonthlySeeder seeder = new MonthlySeeder(counters, new RecordedSpend(store, snapshots), io, scheduler, clock,
        System::nanoTime);
    return new ClientLimits(counters, shared, seeder, clock, System::nanoTime, io);
  }

  /** Stops the seeding thread (a read in progress ends with the database pool, closed after this). */
  @Override
  public void close() {
    if (io == null) {
      return;
    }
    io.shutdownNow();
    try {
      io.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Whether {@code client} may ask for {@code model} now. The future's value is the refusal to send, or {@code null}
   * to go ahead; it is usually complete at once.
   *
   * @param metered whether the request counts toward rates and monthly limits ({@code false} for answers the
   *     gateway gives itself, such as token counts, which only the model list applies to)
   */
  public CompletableFuture<ClientError> admit(ClientIdentity client, String model, boolean metered) {
    LimitsConfig limits = client.limits();
    if (limits == null) {
      return ADMITTED;
    }
    if (!allows(client, model)) {
      return CompletableFuture.completedFuture(new ClientError(403, OpenAiError.modelNotAllowed(model,
          client.toString())));
    }
    if (!metered || !limits.counts()) {
      return ADMITTED;
    }
    Instant now = clock.instant();
    long minute = LimitWindows.minute(now);
    YearMonth month = LimitWindows.month(now);
    ClientState state = stateOf(client.limitId());
    CompletableFuture<Void> seeded = limits.hasMonthlyLimit() ? seeder.seeded(state, client, month) : ClientState.DONE;
    SharedCounters.Added request = limits.rpm() == null ? null
        : counters.add(LimitWindows.requests(client.limitId(), minute), 1, LimitWindows.RATE_TTL);
    CompletableFuture<Void> sync = shared
        ? state.syncIfStale(nanos.getAsLong(), FRESH.toNanos(), () -> refresh(client, state, minute, month)) : null;
    long estimate = request == null ? 0 : request.estimate();
    // With Redis, a request's place among the fleet's requests of the minute is what Redis answers to its addition:
    // an instance's own view, even a fresh one, lets a burst sent to N instances at once in N times over.
    boolean waitsForPlace = shared && request != null;
    if (sync == null && seeded.isDone() && !waitsForPlace) {
      return CompletableFuture.completedFuture(decide(client, limits, now, estimate));
    }
    CompletableFuture<Long> place = request == null ? CompletableFuture.completedFuture(estimate)
        : request.total().exceptionally(failure -> estimate);
    return CompletableFuture.allOf(seeded, sync == null ? ClientState.DONE : sync, place)
        .handle((ignored, failure) -> decide(client, limits, now, place.getNow(estimate)));
  }

  /** Whether {@code client}'s {@code models} (if any) allow {@code model}: also what model lists show it. */
  public static boolean allows(ClientIdentity client, String model) {
    LimitsConfig limits = client.limits();
    return limits == null || limits.models().isEmpty() || ExcludedModels.matchesAny(limits.models(), model);
  }

  /**
   * Counts what an upstream reported for a finished request of {@code client} (nothing when it reported nothing):
   * tokens toward {@code tpm} and the month, and {@code costNanoDollars} (the caller prices them once, at the model
   * that answered, and records the same number in usage) toward {@code max-cost-per-month}. Cheap; never blocks.
   */
  public void charge(ClientIdentity client, TokenUsage tokens, long costNanoDollars) {
    LimitsConfig limits = client.limits();
    if (limits == null || tokens == null || !limits.counts()) {
      return;
    }
    Instant now = clock.instant();
    String id = client.limitId();
    if (limits.tpm() != null) {
      counters.add(LimitWindows.tokens(id, LimitWindows.minute(now)), tokens.total(), LimitWindows.RATE_TTL);
    }
    if (limits.hasMonthlyLimit()) {
      YearMonth month = LimitWindows.month(now);
      counters.add(LimitWindows.monthTokens(id, month), tokens.total(), LimitWindows.MONTH_TTL);
      if (costNanoDollars > 0) {
        counters.add(LimitWindows.monthCost(id, month), costNanoDollars, LimitWindows.MONTH_TTL);
      }
    }
  }

  /**
   * Where {@code client} stands against its limits, as exactly as the store can say within a couple of seconds
   * (seeding its month first when needed). Blocks: for management threads only.
   */
  public LimitUsage usage(ClientIdentity client) {
    LimitsConfig limits = client.limits();
    if (limits == null || !limits.counts()) {
      return LimitUsage.NONE;
    }
    Instant now = clock.instant();
    long minute = LimitWindows.minute(now);
    YearMonth month = LimitWindows.month(now);
    String id = client.limitId();
    if (limits.hasMonthlyLimit()) {
      await(seeder.seeded(stateOf(id), client, month));
    }
    return new LimitUsage(limits.rpm() == null ? null : read(LimitWindows.requests(id, minute)),
        limits.tpm() == null ? null : read(LimitWindows.tokens(id, minute)),
        limits.hasMonthlyLimit() ? read(LimitWindows.monthTokens(id, month)) : null,
        limits.hasMonthlyLimit() ? LimitRules.dollars(read(LimitWindows.monthCost(id, month)))
            : null);
  }

  private long read(String name) {
    try {
      return counters.read(name).get(MonthlySeeder.MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Redis does not answer: this instance's view is the best there is.
    }
    return counters.estimate(name);
  }

  private static void await(CompletableFuture<Void> future) {
    try {
      future.get(MonthlySeeder.MAX_WAIT.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // shown as counted so far
    }
  }

  private ClientState stateOf(String id) {
    ClientState state = states.get(id);
    return state != null ? state : states.computeIfAbsent(id, k -> new ClientState());
  }

  /** The refusal for a request already counted in {@code requests}, taking that count back; or {@code null}. */
  private ClientError decide(ClientIdentity client, LimitsConfig limits, Instant now, long requests) {
    ClientError refusal = LimitRules.refusal(client, limits, counters, now, requests);
    if (refusal != null && limits.rpm() != null) {
      counters.add(LimitWindows.requests(client.limitId(), LimitWindows.minute(now)), -1, LimitWindows.RATE_TTL);
    }
    return refusal;
  }

  /**
   * Brings this instance's view of the client's read-only counters up to the fleet's (an addition of 0 answers with
   * the total); also notices a seed marker Redis lost (no running instance remembered the month), and then completes
   * only once the month is seeded again, so that the request that noticed is not judged against emptied counters.
   * Completes normally whatever Redis does.
   */
  private CompletableFuture<Void> refresh(ClientIdentity client, ClientState state, long minute, YearMonth month) {
    LimitsConfig limits = client.limits();
    String id = client.limitId();
    List<CompletableFuture<Long>> totals = new ArrayList<>(4);
    if (limits.tpm() != null) {
      totals.add(counters.add(LimitWindows.tokens(id, minute), 0, LimitWindows.RATE_TTL).total());
    }
    if (limits.hasMonthlyLimit()) {
      totals.add(counters.add(LimitWindows.monthTokens(id, month), 0, LimitWindows.MONTH_TTL).total());
      totals.add(counters.add(LimitWindows.monthCost(id, month), 0, LimitWindows.MONTH_TTL).total());
      CompletableFuture<Long> marker = counters.add(LimitWindows.monthSeeded(id, month), 0, LimitWindows.MONTH_TTL)
          .total();
      totals.add(marker.thenCompose(total -> {
        if (total != 0) {
          return CompletableFuture.completedFuture(total);
        }
        state.forgetSeed(month);
        return seeder.seeded(state, client, month).thenApply(ignored -> total);
      }));
    }
    return CompletableFuture.allOf(totals.toArray(CompletableFuture[]::new)).handle((ignored, failure) -> null);
  }
}
