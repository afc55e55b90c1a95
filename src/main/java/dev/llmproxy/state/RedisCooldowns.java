package dev.llmproxy.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.error.WebappJson;
import dev.llmproxy.routing.Cooldowns;
import dev.llmproxy.routing.Credential;
import dev.llmproxy.routing.LocalCooldowns;
import io.lettuce.core.ScriptOutputType;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Cooldowns} shared through Redis. Plans read only the {@link LocalCooldowns local view}, so no request ever
 * waits on Redis; every window opened here goes to Redis ({@code <prefix>cooldown:<key>}, expiring with the window,
 * indexed in {@code <prefix>cooldowns}) and out on the {@code <prefix>cooldowns} channel, from which every instance
 * merges it into its view within milliseconds. 429 backoff levels are {@link SharedCounters}, so a 429 on one
 * instance after one on another backs off at the next level; a success anywhere clears the model's window and level
 * everywhere.
 *
 * <p>Catching up: each (re)subscription and every {@link #RESYNC} the view reads every open window from Redis (pub/sub
 * loses what is sent while a connection is down); when Redis is back after an outage, this instance first publishes
 * the windows it opened meanwhile. Windows are sent as time left, not as instants, so the instances' clocks need not
 * agree. Thread-safe; nothing here blocks (the view's maps and {@link RedisConnections#call}).
 */
public final class RedisCooldowns implements Cooldowns, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisCooldowns.class);
  static final Duration RESYNC = Duration.ofSeconds(5);
  /** A model's 429 count is forgotten this long after its last 429 (twice the longest backoff). */
  static final Duration LEVEL_TTL = BACKOFF_CAP.multipliedBy(2);
  private static final ObjectMapper JSON = WebappJson.newMapper();

  /** Opens or lengthens a window (never shortens one) and announces it; KEYS: window, index. */
  private static final String OPEN = """
      local ms = tonumber(ARGV[1])
      if redis.call('PTTL', KEYS[1]) >= ms then return 0 end
      redis.call('SET', KEYS[1], ARGV[2], 'PX', ms)
      local t = redis.call('TIME')
      local now = t[1] * 1000 + math.floor(t[2] / 1000)
      redis.call('ZADD', KEYS[2], now + ms, ARGV[4])
      redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
      if redis.call('PTTL', KEYS[2]) < ms then redis.call('PEXPIRE', KEYS[2], ms) end
      redis.call('PUBLISH', ARGV[3], cjson.encode({key = ARGV[4], ms = ms, reason = ARGV[2], level = tonumber(ARGV[5])}))
      return 1""";
  /** Removes a window and announces it; KEYS: window, index. */
  private static final String CLEAR = """
      redis.call('DEL', KEYS[1])
      redis.call('ZREM', KEYS[2], ARGV[2])
      redis.call('PUBLISH', ARGV[1], cjson.encode({key = ARGV[2], cleared = true}))
      return 1""";
  /** Every open window as key, reason, milliseconds left; KEYS: index; ARGV: the window keys' prefix. */
  private static final String OPEN_WINDOWS = """
      local t = redis.call('TIME')
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', t[1] * 1000 + math.floor(t[2] / 1000))
      local out = {}
      for _, key in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
        local reason = redis.call('GET', ARGV[1] .. key)
        local left = redis.call('PTTL', ARGV[1] .. key)
        if reason and left > 0 then
          out[#out + 1] = key
          out[#out + 1] = reason
          out[#out + 1] = left
        end
      end
      return out""";

  private final LocalCooldowns view;
  private final RedisConnections redis;
  private final SharedCounters levels;
  private final String windowPrefix;
  private final String index;
  private final String channel;
  private final ScheduledFuture<?> resync;
  /**
   * When each window was last cleared here: a resync answered before a clear must not bring the window back (new
   * windows after a clear still arrive through pub/sub).
   */
  private final ConcurrentMap<String, Instant> cleared = new ConcurrentHashMap<>();

  public RedisCooldowns(LocalCooldowns view, RedisConnections redis, SharedCounters levels, String keyPrefix,
      ScheduledExecutorService scheduler) {
    this.view = view;
    this.redis = redis;
    this.levels = levels;
    this.windowPrefix = keyPrefix + "cooldown:";
    this.index = keyPrefix + "cooldowns";
    this.channel = keyPrefix + "cooldowns";
    redis.subscribe(channel, this::received, this::resync);
    redis.onUp(this::catchUp);
    this.resync = scheduler.scheduleWithFixedDelay(this::resync, RESYNC.toMillis(), RESYNC.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public Instant now() {
    return view.now();
  }

  @Override
  public Instant coolingUntil(Credential credential, String model) {
    return view.coolingUntil(credential, model);
  }

  @Override
  public List<Active> activeWindows() {
    return view.activeWindows();
  }

  @Override
  public void coolKey(Credential credential, Duration duration, String reason) {
    view.coolKey(credential, duration, reason);
    open(credential.id(), duration, reason, 0);
  }

  @Override
  public void coolModel(Credential credential, String model, Duration duration, String reason) {
    view.coolModel(credential, model, duration, reason);
    open(Cooldowns.key(credential.id(), model), duration, reason, 0);
  }

  /**
   * Rests the model here at once (by this instance's own count), then again by the fleet's count when Redis
   * answers, and announces the window with the fleet's level.
   */
  @Override
  public Duration rateLimited(Credential credential, String model, Duration retryAfter, String reason) {
    String key = Cooldowns.key(credential.id(), model);
    Instant at = view.now();
    String why = Cooldowns.rateLimitReason(reason);
    Duration wait = view.rateLimited(credential, model, retryAfter, why);
    levels.add("backoff:" + key, 1, LEVEL_TTL).total().thenAccept(fleet -> {
      view.raiseLevel(key, fleet.intValue());
      int level = view.level(key);
      Instant end = at.plus(retryAfter != null ? retryAfter : Cooldowns.backoff(level));
      view.merge(key, end, why);
      open(key, Duration.between(view.now(), end), why, level);
    });
    return wait;
  }

  @Override
  public boolean coolsForRateLimit(Credential credential, String model) {
    return view.coolsForRateLimit(credential, model);
  }

  @Override
  public void succeeded(Credential credential, String model) {
    String key = Cooldowns.key(credential.id(), model);
    if (view.clearOnSuccess(credential, model)) {
      cleared.put(key, view.now());
      levels.reset("backoff:" + key);
      redis.call(c -> c.eval(CLEAR, ScriptOutputType.INTEGER, new String[] {windowPrefix + key, index}, channel, key));
    }
  }

  private void open(String key, Duration left, String reason, int level) {
    if (left.toMillis() <= 0) {
      return;
    }
    redis.call(c -> c.eval(OPEN, ScriptOutputType.INTEGER, new String[] {windowPrefix + key, index},
        Long.toString(left.toMillis()), reason, channel, key, Integer.toString(level)));
  }

  /** A window another instance (or this one) announced; on a Lettuce I/O thread. */
  private void received(String message) {
    try {
      JsonNode m = JSON.readTree(message);
      String key = m.path("key").asText("");
      if (key.isEmpty()) {
        return;
      }
      if (m.path("cleared").asBoolean(false)) {
        view.clear(key);
        cleared.put(key, view.now());
        return;
      }
      view.merge(key, view.now().plusMillis(m.path("ms").asLong()), m.path("reason").asText(""));
      if (m.path("level").asInt(0) > 0) {
        view.raiseLevel(key, m.path("level").asInt());
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("Ignored a malformed message on Redis channel {}: {}", channel, e.toString());
    }
  }

  /** Redis is back: announce what opened here meanwhile, then read what others opened. */
  private void catchUp() {
    for (Active w : view.activeWindows()) {
      open(w.key(), Duration.between(view.now(), w.until()), w.reason(), view.level(w.key()));
    }
    resync();
  }

  /** Merges every window open in Redis into the view (pub/sub loses what is sent while a connection is down). */
  private void resync() {
    if (!redis.isUp()) {
      return;
    }
    redis.call(c -> c.<List<Object>>eval(OPEN_WINDOWS, ScriptOutputType.MULTI, new String[] {index}, windowPrefix))
        .thenAccept(rows -> {
          Instant now = view.now();
          Instant recent = now.minus(RESYNC);
          cleared.values().removeIf(at -> at.isBefore(recent));
          for (int i = 0; i + 2 < rows.size(); i += 3) {
            String key = String.valueOf(rows.get(i));
            Instant clearedAt = cleared.get(key);
            if (clearedAt == null || clearedAt.isBefore(recent)) {
              view.merge(key, now.plusMillis(((Number) rows.get(i + 2)).longValue()), String.valueOf(rows.get(i + 1)));
            }
          }
        });
  }

  /** Stops the periodic resync; the connections are closed by their owner. */
  @Override
  public void close() {
    resync.cancel(false);
  }
}
