package dev.llmproxy.state;

import dev.llmproxy.routing.OpenElsewhere;
import io.lettuce.core.ScriptOutputType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests each client with a {@code max-parallel-requests} cap holds open on the other instances, through
 * Redis. Every {@link #SYNC_EVERY} one script writes what this instance holds to a hash of its own ({@code
 * <prefix>open:<instance>}, listed in {@code <prefix>open:instances}), makes it expire {@link #HOLD_FOR} later, and
 * answers the sum of the other instances' hashes, which is what {@link #open} counts until the next answer. So the
 * places an instance held come back within {@link #HOLD_FOR} when it dies without a word, and requests never wait on
 * Redis: admission reads the last answer from memory.
 *
 * <p>A cap is thus exact within an instance and within a sync across instances: requests of one client arriving on
 * several instances in the same quarter second can together pass it by what each admitted meanwhile. While Redis
 * does not answer, the last answer counts for {@link #HOLD_FOR}; then each instance counts only what it holds (never
 * no cap). Thread-safe: the last answer is one immutable value; one sync at a time.
 */
public final class RedisOpenRequests implements OpenElsewhere, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisOpenRequests.class);
  static final Duration SYNC_EVERY = Duration.ofMillis(250);
  /** Eight syncs: long enough for a slow answer or a short pause, short enough for a dead instance's places. */
  static final Duration HOLD_FOR = Duration.ofSeconds(2);

  /**
   * KEYS: the set of instances. ARGV: the hashes' prefix, this instance, how long its hash lives (ms), then client
   * ids and counts. Replaces this instance's hash (none when it holds nothing), drops instances whose hash expired,
   * and answers the other instances' counts summed per client, as ids and counts.
   */
  private static final String SYNC = """
      local mine = ARGV[1] .. ARGV[2]
      redis.call('DEL', mine)
      if #ARGV > 3 then
        for i = 4, #ARGV, 2 do redis.call('HSET', mine, ARGV[i], ARGV[i + 1]) end
        redis.call('PEXPIRE', mine, ARGV[3])
        redis.call('SADD', KEYS[1], ARGV[2])
      else
        redis.call('SREM', KEYS[1], ARGV[2])
      end
      local sums = {}
      for _, other in ipairs(redis.call('SMEMBERS', KEYS[1])) do
        if other ~= ARGV[2] then
          local fields = redis.call('HGETALL', ARGV[1] .. other)
          if #fields == 0 then redis.call('SREM', KEYS[1], other) end
          for i = 1, #fields, 2 do sums[fields[i]] = (sums[fields[i]] or 0) + tonumber(fields[i + 1]) end
        end
      end
      local out = {}
      for id, n in pairs(sums) do
        out[#out + 1] = id
        out[#out + 1] = tostring(n)
      end
      return out""";

  /** The other instances' open requests per client, and when this instance asked for them. */
  private record Answer(Map<String, Integer> open, Instant asked) {}

  private final RedisConnections redis;
  private final Duration timeout;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final String instancesKey;
  private final String hashPrefix;
  private final String instance = UUID.randomUUID().toString();
  private final AtomicBoolean syncing = new AtomicBoolean();
  private volatile Answer last = new Answer(Map.of(), Instant.MIN);
  private volatile ScheduledFuture<?> syncs;

  public RedisOpenRequests(RedisConnections redis, String keyPrefix, Duration timeout, Clock clock,
      ScheduledExecutorService scheduler) {
    this.redis = redis;
    this.timeout = timeout;
    this.clock = clock;
    this.scheduler = scheduler;
    this.instancesKey = keyPrefix + "open:instances";
    this.hashPrefix = keyPrefix + "open:";
  }

  /** Starts sharing what {@code mine} says this instance holds open per capped client (see the class comment). */
  public synchronized void share(Supplier<Map<String, Integer>> mine) {
    if (syncs == null) {
      syncs = scheduler.scheduleWithFixedDelay(() -> syncQuietly(mine), 0, SYNC_EVERY.toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public int open(String clientId) {
    Answer answer = last;
    if (answer.open().isEmpty() || answer.asked().plus(HOLD_FOR).isBefore(clock.instant())) {
      return 0;
    }
    return answer.open().getOrDefault(clientId, 0);
  }

  private void syncQuietly(Supplier<Map<String, Integer>> mine) {
    try {
      sync(mine.get());
    } catch (RuntimeException e) {
      syncing.set(false);
      LOG.error("Sharing open requests through Redis failed", e);
    }
  }

  private void sync(Map<String, Integer> held) {
    if (!redis.isUp() || !syncing.compareAndSet(false, true)) {
      return; // down: the last answer ages out; busy: the next tick sends what is held then
    }
    List<String> args = new ArrayList<>(3 + 2 * held.size());
    args.add(hashPrefix);
    args.add(instance);
    args.add(Long.toString(HOLD_FOR.toMillis()));
    held.forEach((client, open) -> {
      args.add(client);
      args.add(Integer.toString(open));
    });
    Instant asked = clock.instant();
    redis.call(c -> c.<List<Object>>eval(SYNC, ScriptOutputType.MULTI, new String[] {instancesKey},
        args.toArray(String[]::new))).whenComplete((reply, failure) -> {
          if (failure == null) {
            last = new Answer(parse(reply), asked);
          }
          syncing.set(false);
        });
  }

  private static Map<String, Integer> parse(List<Object> reply) {
    Map<String, Integer> open = new HashMap<>();
    for (int i = 0; i + 1 < reply.size(); i += 2) {
      open.put(String.valueOf(reply.get(i)), Integer.parseInt(String.valueOf(reply.get(i + 1))));
    }
    return Map.copyOf(open);
  }

  /**
   * Stops sharing and takes this instance's hash away, so its places come back at once (waiting a while). A sync
   * already under way may write the hash once more; it then expires as a dead instance's would.
   */
  @Override
  public void close() {
    ScheduledFuture<?> s = syncs;
    if (s != null) {
      s.cancel(false);
    }
    try {
      redis.call(c -> c.<Long>eval("redis.call('SREM', KEYS[1], ARGV[1]) return redis.call('DEL', KEYS[2])",
          ScriptOutputType.INTEGER, new String[] {instancesKey, hashPrefix + instance}, instance))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.debug("This instance's open requests stay in Redis until they expire: {}", RedisHealth.describe(e));
    }
  }
}
