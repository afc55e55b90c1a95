package dev.llmproxy.state;

import dev.llmproxy.config.RedisUrl;
import dev.llmproxy.config.StateConfig;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's one link to Redis: the {@link LettuceClient} with its threads, a connection for commands, one for
 * pub/sub, and whether Redis answers ({@link RedisHealth}). Built once by the composition root and {@link #close()
 * closed} on undeploy, which stops every thread it started, Lettuce's and Netty's.
 *
 * <p>Never blocks a caller. Commands are issued from one of Lettuce's own threads, in the order they were asked for
 * (so no Netty thread-local lands on a container or reactor thread, which a redeploy would leak), and answered
 * through a {@link CompletableFuture} completed on Lettuce's I/O threads; while Redis is not connected a command
 * fails at once. Connects in the background and, every {@link #TICK}, again whatever connection was lost (Lettuce's
 * own reconnection is off: it would log a warning every few seconds of an outage, where the operator should read
 * one). A command that fails or outlives {@code state.redis-timeout} marks Redis down; a ping every tick marks it
 * back and runs the {@link #onUp} actions, which catch up. Thread-safe.
 */
public final class RedisConnections implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisConnections.class);
  static final Duration TICK = Duration.ofSeconds(1);

  private final RedisUrl url;
  private final LettuceClient client;
  private final RedisHealth health;
  private final Map<String, Consumer<String>> handlers = new ConcurrentHashMap<>();
  private final Map<String, Runnable> onSubscribed = new ConcurrentHashMap<>();
  private final List<Runnable> upActions = new CopyOnWriteArrayList<>();
  private final AtomicBoolean connecting = new AtomicBoolean();
  private final ScheduledFuture<?> tick;
  private volatile StatefulRedisConnection<String, String> commands;
  private volatile StatefulRedisPubSubConnection<String, String> pubsub;
  private volatile boolean closed;

  /** Starts connecting to {@code state.redis()} in the background; ticks on {@code scheduler}. */
  public RedisConnections(StateConfig state, ScheduledExecutorService scheduler) {
    this.url = state.redis();
    this.health = new RedisHealth(url);
    this.client = LettuceClient.build(state, scheduler);
    this.tick = scheduler.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The URL (password masked), for messages. */
  public RedisUrl url() {
    return url;
  }

  /** True while Redis answers. */
  public boolean isUp() {
    return health.isUp();
  }

  /**
   * Runs {@code action} every time Redis answers after not answering (and at first contact), on a Lettuce thread:
   * the moment to publish what happened meanwhile and to read what others did. Must not block.
   */
  public void onUp(Runnable action) {
    upActions.add(action);
  }

  /**
   * Delivers the messages of {@code channel} to {@code handler}, and runs {@code subscribed} each time the
   * subscription is (re)established; both on a Lettuce I/O thread, so they must not block. Register before Redis
   * is reached, from the composition root.
   */
  public void subscribe(String channel, Consumer<String> handler, Runnable subscribed) {
    handlers.put(channel, handler);
    onSubscribed.put(channel, subscribed);
    StatefulRedisPubSubConnection<String, String> c = pubsub;
    if (c != null) {
      client.execute(() -> c.async().subscribe(channel));
    }
  }

  /**
   * Sends a command without waiting for it. The result completes on a Lettuce thread with Redis's answer, or
   * exceptionally when Redis is not connected, fails or does not answer within {@code state.redis-timeout} (which
   * also marks it down). Callbacks on it must not block.
   */
  public <T> CompletableFuture<T> call(Function<RedisAsyncCommands<String, String>, RedisFuture<T>> command) {
    CompletableFuture<T> result = new CompletableFuture<>();
    StatefulRedisConnection<String, String> c = commands;
    if (c == null || closed) {
      result.completeExceptionally(new IllegalStateException("not connected to Redis"));
      return result;
    }
    boolean sent = client.execute(() -> command.apply(c.async()).whenComplete((value, failure) -> {
      if (failure == null) {
        answered();
        result.complete(value);
      } else {
        if (!(failure instanceof RedisCommandExecutionException)) {
          // An error reply (a script's) means Redis answered; anything else is an outage or a timeout.
          health.failed(failure);
        }
        result.completeExceptionally(failure);
      }
    }));
    if (!sent) {
      result.completeExceptionally(new IllegalStateException("Redis client closed"));
    }
    return result;
  }

  private void answered() {
    if (health.answered()) {
      for (Runnable action : upActions) {
        try {
          action.run();
        } catch (RuntimeException e) {
          LOG.error("Catching up with Redis failed", e);
        }
      }
    }
  }

  /** Connects what is not connected, else pings: the only way an outage ends when no request needs Redis. */
  private void tick() {
    if (closed) {
      return;
    }
    dropIfLost();
    if (commands != null && pubsub != null) {
      call(RedisAsyncCommands::ping);
    } else if (connecting.compareAndSet(false, true)) {
      connect();
    }
  }

  private void connect() {
    CompletableFuture<?> commandsReady = commands != null ? CompletableFuture.completedFuture(null)
        : client.connect().thenAccept(c -> adopt(c, null));
    CompletableFuture<?> pubsubReady = pubsub != null ? CompletableFuture.completedFuture(null)
        : client.connectPubSub().thenAccept(c -> adopt(null, c));
    CompletableFuture.allOf(commandsReady, pubsubReady).whenComplete((ignored, failure) -> {
      connecting.set(false);
      if (failure != null) {
        health.failed(failure);
      } else {
        call(RedisAsyncCommands::ping);
      }
    });
  }

  private synchronized void dropIfLost() {
    if (commands != null && !commands.isOpen()) {
      commands.closeAsync();
      commands = null;
      health.failed(new IllegalStateException("connection lost"));
    }
    if (pubsub != null && !pubsub.isOpen()) {
      pubsub.closeAsync();
      pubsub = null;
      health.failed(new IllegalStateException("connection lost"));
    }
  }

  private synchronized void adopt(StatefulRedisConnection<String, String> c,
      StatefulRedisPubSubConnection<String, String> p) {
    if (closed) {
      (c != null ? c : p).closeAsync();
      return;
    }
    if (c != null) {
      commands = c;
      return;
    }
    p.addListener(new RedisPubSubAdapter<>() {
      @Override
      public void message(String channel, String message) {
        Consumer<String> handler = handlers.get(channel);
        if (handler != null) {
          handler.accept(message);
        }
      }

      @Override
      public void subscribed(String channel, long count) {
        Runnable action = onSubscribed.get(channel);
        if (action != null) {
          action.run();
        }
      }
    });
    pubsub = p;
    if (!handlers.isEmpty()) {
      client.execute(() -> p.async().subscribe(handlers.keySet().toArray(String[]::new)));
    }
  }

  /** "redis" while Redis answers, "degraded" while it does not (or not yet). */
  public String status() {
    return health.isUp() ? "redis" : "degraded";
  }

  /** Closes both connections and stops every Lettuce and Netty thread, waiting a bounded time for each. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    tick.cancel(false);
    client.close();
  }
}
