package dev.llmproxy.limits;

import dev.llmproxy.auth.ClientIdentity;
import dev.llmproxy.state.SharedCounters;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a client's month counters from the durable usage records, once per month for the whole fleet, so that a
 * restarted gateway (or a fleet whose Redis lost its data) does not forget what was spent: spend comes from the
 * usage store, then counts live.
 *
 * <p>How once: the first instance to count a client's month adds 1 to the month's seed marker; the one whose
 * addition makes it 1 reads the client's records of the month up to that moment and raises the month counters' floor
 * to their tokens and cost ({@link SharedCounters#raise}); the others count live on top. In memory the marker lives as
 * long as the process, so every start seeds. A Redis that lost its data gets the marker and the month counters back
 * from the instances still running (see {@link dev.llmproxy.state.RedisCounters}); when none remembers the month,
 * the next claim makes the marker 1 again and the records are read again. Records and restored counters are views of
 * the same spend: as floors, the larger counts, never both. Records written between the claim and the read may count
 * twice (the safe side for a limit; the stores count the claim's whole minute or day, as far as it is written); an
 * instance that cannot reach Redis to claim the marker counts live only and tries again {@link #RETRY} later; a store
 * that cannot be read is tried again by the claimant every {@link #RETRY} until the month is over.
 *
 * <p>Requests of the client wait for the seeding at most {@link #MAX_WAIT} (never a thread: they continue when a
 * future completes). Database reads run on {@code io}, never on a request's or Redis's thread. Thread-safe.
 */
final class MonthlySeeder {
  private static final Logger LOG = LoggerFactory.getLogger(MonthlySeeder.class);
  static final Duration MAX_WAIT = Duration.ofSeconds(5);
  static final Duration RETRY = Duration.ofSeconds(30);

  private final SharedCounters counters;
  private final RecordedSpend spend;
  private final Executor io;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final LongSupplier nanos;

  MonthlySeeder(SharedCounters counters, RecordedSpend spend, Executor io, ScheduledExecutorService scheduler,
      Clock clock, LongSupplier nanos) {
    this.counters = counters;
    this.spend = spend;
    this.io = io;
    this.scheduler = scheduler;
    this.clock = clock;
    this.nanos = nanos;
  }

  /** Completes when {@code month}'s counters of {@code client} are seeded here, or after {@link #MAX_WAIT}. */
  CompletableFuture<Void> seeded(ClientState state, ClientIdentity client, YearMonth month) {
    return state.seedFor(month, nanos.getAsLong(), () -> claim(state, client, month));
  }

  private CompletableFuture<Void> claim(ClientState state, ClientIdentity client, YearMonth month) {
    Instant before = clock.instant();
    CompletableFuture<Void> done = new CompletableFuture<>();
    String marker = LimitWindows.monthSeeded(client.limitId(), month);
    counters.add(marker, 1, LimitWindows.MONTH_TTL).total().whenComplete((total, failure) -> {
      if (failure != null) {
        // Unknown whether another instance seeded: take the claim back (it is sent again with the addition when
        // Redis returns) and ask again later.
        counters.add(marker, -1, LimitWindows.MONTH_TTL);
        state.seedFailed(month, nanos.getAsLong() + RETRY.toNanos());
        LOG.debug("Monthly limits of {}: the shared state did not answer; counting live until it does", client);
        done.complete(null);
      } else if (total == 1) {
        read(client, month, before, done);
      } else {
        done.complete(null);
      }
    });
    if (!done.isDone()) {
      scheduler.schedule(() -> done.complete(null), MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
    return done;
  }

  private void read(ClientIdentity client, YearMonth month, Instant before, CompletableFuture<Void> done) {
    try {
      io.execute(() -> {
        try {
          RecordedSpend.Spend s = spend.of(client.toString(), LimitWindows.startOf(month), before);
          // A floor, not an addition: a fleet that still knew the month (restoring its counters to a Redis that
          // lost them) and the records are two views of the same spend, so the larger counts, once.
          counters.raise(LimitWindows.monthTokens(client.limitId(), month), s.tokens(), LimitWindows.MONTH_TTL);
          counters.raise(LimitWindows.monthCost(client.limitId(), month), s.nanoDollars(), LimitWindows.MONTH_TTL);
          LOG.info("Monthly limits of {}: {} started from the usage records at {} tokens and {} USD", client, month,
              s.tokens(), LimitRules.dollars(s.nanoDollars()).toPlainString());
        } catch (RuntimeException e) {
          LOG.warn("Monthly limits of {}: the usage records of {} cannot be read ({}); counting live and trying again "
              + "in {}s", client, month, e.getMessage(), RETRY.toSeconds());
          if (LimitWindows.month(clock.instant()).equals(month)) {
            scheduler.schedule(() -> read(client, month, before, new CompletableFuture<>()), RETRY.toMillis(),
                TimeUnit.MILLISECONDS);
          }
        } finally {
          done.complete(null);
        }
      });
    } catch (RejectedExecutionException e) {
      done.complete(null); // shutting down
    }
  }
}
