package dev.llmproxy.state;

import dev.llmproxy.config.RedisUrl;
import dev.llmproxy.config.StateConfig;
import dev.llmproxy.routing.Credential;
import dev.llmproxy.testing.Await;
import dev.llmproxy.testing.RedisProcess;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Several {@link SharedState} stores on one Redis, as several gateway instances would have them, each with its own
 * scheduler; plus what they logged. Closes them all. Not thread-safe: one test drives it.
 */
final class SharedStateFixture implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofMillis(500);

  private final RedisProcess redis;
  private final String prefix;
  private final List<SharedState> stores = new ArrayList<>();
  private final List<RedisConnections> links = new ArrayList<>();
  private final List<ScheduledExecutorService> schedulers = new ArrayList<>();
  private final LogLines log = new LogLines();

  SharedStateFixture(RedisProcess redis, String prefix) {
    this.redis = redis;
    this.prefix = prefix;
  }

  /** Another instance on the fixture's Redis. */
  SharedState instance() {
    return instance(TIMEOUT);
  }

  SharedState instance(Duration timeout) {
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    schedulers.add(scheduler);
    SharedState state = SharedState.open(config(redis.url(), prefix, timeout), Clock.systemUTC(), scheduler);
    stores.add(state);
    return state;
  }

  /** Another instance's bare link to the fixture's Redis, for a store a test builds itself (on a clock of its own). */
  RedisConnections connections(Duration timeout) {
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    schedulers.add(scheduler);
    RedisConnections link = new RedisConnections(config(redis.url(), prefix, timeout), scheduler);
    links.add(link);
    return link;
  }

  /** Another instance's threads, for a store a test builds itself; shut down on close, or earlier by the test. */
  ScheduledExecutorService scheduler() {
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    schedulers.add(scheduler);
    return scheduler;
  }

  /** The key prefix every instance of this fixture uses. */
  String prefix() {
    return prefix;
  }

  static StateConfig config(String url, String prefix, Duration timeout) {
    return new StateConfig(StateConfig.Store.REDIS, RedisUrl.parse(url), prefix, timeout, null);
  }

  /** Waits (polling, up to {@code within}) until Redis answers every instance and each listens for config writes. */
  void awaitUp(Duration within) {
    await(within, () -> stores.stream().allMatch(s -> s.status().equals("redis") && s.listeningForConfig())
        && links.stream().allMatch(RedisConnections::isUp), "every instance up");
  }

  /** Waits (polling, up to {@code within}) until every instance has seen Redis down. */
  void awaitDown(Duration within) {
    await(within, () -> stores.stream().noneMatch(s -> s.status().equals("redis"))
        && links.stream().noneMatch(RedisConnections::isUp), "every instance sees Redis down");
  }

  List<String> warnings() {
    return log.lines(Level.WARNING);
  }

  List<String> infos() {
    return log.lines(Level.INFO);
  }

  static Credential key(String id) {
    return new Credential(id, null, 0, null, null);
  }

  static void await(Duration within, BooleanSupplier condition, String what) {
    Await.until(within, condition, what);
  }

  @Override
  public void close() {
    for (SharedState s : stores) {
      s.close();
    }
    for (RedisConnections link : links) {
      link.close();
    }
    for (ScheduledExecutorService s : schedulers) {
      s.shutdownNow();
      try {
        s.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    log.close();
  }

  /** What {@code dev.llmproxy.state} logged, by level. */
  private static final class LogLines extends Handler {
    private final Logger logger = Logger.getLogger("dev.llmproxy.state");
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    LogLines() {
      logger.addHandler(this);
    }

    List<String> lines(Level level) {
      // SLF4J formats its messages before they reach java.util.logging.
      return records.stream().filter(r -> r.getLevel().equals(level)).map(LogRecord::getMessage).toList();
    }

    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      logger.removeHandler(this);
    }
  }
}
