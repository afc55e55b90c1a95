package dev.llmproxy.state;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Management writes made through any instance, applied on every instance. Each {@code config.yaml} a management
 * write persisted here is published with a fleet-wide version on the {@code <prefix>config} channel and kept as the
 * latest ({@code <prefix>config}); every other instance hands a newer version to its adopter (which validates it,
 * writes its own {@code config.yaml} when it differs, and installs it). Versions make the last write win everywhere,
 * in the same order. A version is Redis's clock in milliseconds, or one more than the last if that is not larger, so
 * versions keep growing even after a Redis without persistence restarts empty.
 *
 * <p>A write made while Redis is down is published when it is back; an instance that was cut off reads the latest
 * version when it is back and adopts it if it is newer than the last it saw. At first contact an instance only
 * notes the current version: its own file wins at startup, so a file deployed with a new release is not overwritten
 * by an older management write. Thread-safe; adopting runs on the given executor, never on Lettuce's threads.
 */
public final class RedisConfigSync {
  private static final Logger LOG = LoggerFactory.getLogger(RedisConfigSync.class);
  /** KEYS: version, latest; ARGV: channel, origin, text. A message is "version origin", a line feed, the text. */
  private static final String PUBLISH = """
      local t = redis.call('TIME')
      local version = t[1] * 1000 + math.floor(t[2] / 1000)
      local last = tonumber(redis.call('GET', KEYS[1]) or '0')
      if version <= last then version = last + 1 end
      local v = string.format('%d', version)
      redis.call('SET', KEYS[1], v)
      local message = v .. ' ' .. ARGV[2] .. '\\n' .. ARGV[3]
      redis.call('SET', KEYS[2], message)
      redis.call('PUBLISH', ARGV[1], message)
      return version""";

  /** A published write: its version, the instance that made it, and the {@code config.yaml} text. */
  private record Write(long version, String origin, String text) {
    static Write parse(String message) {
      int lineEnd = message.indexOf('\n');
      int space = message.indexOf(' ');
      if (lineEnd < 0 || space < 0 || space > lineEnd) {
        throw new IllegalArgumentException("not a config message");
      }
      return new Write(Long.parseLong(message.substring(0, space)), message.substring(space + 1, lineEnd),
          message.substring(lineEnd + 1));
    }
  }

  private final RedisConnections redis;
  private final Executor adoptOn;
  private final String channel;
  private final String versionKey;
  private final String latestKey;
  private final String origin = UUID.randomUUID().toString();
  /** The newest version this instance has published, adopted or skipped; -1 before first contact. */
  private final AtomicLong seen = new AtomicLong(-1);
  private final AtomicReference<String> unpublished = new AtomicReference<>();
  private volatile Consumer<String> adopter = text -> {};
  private volatile boolean subscribed;

  public RedisConfigSync(RedisConnections redis, String keyPrefix, Executor adoptOn) {
    this.redis = redis;
    this.adoptOn = adoptOn;
    this.channel = keyPrefix + "config";
    this.latestKey = keyPrefix + "config";
    this.versionKey = keyPrefix + "config:version";
    // Reading the latest write once the subscription stands closes the gap in which another instance published
    // while this one was still resubscribing (Redis pub/sub keeps nothing for absent subscribers).
    redis.subscribe(channel, this::received, this::subscribed);
    redis.onUp(this::catchUp);
  }

  /** Where content written on other instances goes: validated, written and installed there (on the executor). */
  public void adoptWith(Consumer<String> adopter) {
    this.adopter = adopter;
  }

  /** Subscribed and past first contact: from now on every write made elsewhere reaches this instance. */
  boolean listening() {
    return subscribed && seen.get() != -1;
  }

  /** A management write persisted {@code text} here: publish it (now, or when Redis is back). */
  public void published(String text) {
    unpublished.set(text);
    send();
  }

  private void send() {
    String text = unpublished.get();
    if (text == null) {
      return;
    }
    redis.call(c -> c.<Long>eval(PUBLISH, ScriptOutputType.INTEGER, new String[] {versionKey, latestKey}, channel,
        origin, text)).whenComplete((version, failure) -> {
          if (failure == null) {
            unpublished.compareAndSet(text, null);
            seen.accumulateAndGet(version, Math::max);
          } else if (failure instanceof RedisCommandExecutionException) {
            unpublished.compareAndSet(text, null);
            LOG.error("Redis refused a config written through management; other instances do not get it: {}",
                RedisHealth.describe(failure));
          } else {
            LOG.info("A config written through management goes to the other instances when Redis answers ({})",
                RedisHealth.describe(failure));
          }
        });
  }

  private void received(String message) {
    try {
      adoptIfNewer(Write.parse(message));
    } catch (RuntimeException e) {
      LOG.warn("Ignored a malformed message on Redis channel {}: {}", channel, e.toString());
    }
  }

  private void adoptIfNewer(Write write) {
    long before = seen.getAndAccumulate(write.version(), Math::max);
    if (write.version() > before && !origin.equals(write.origin())) {
      LOG.info("Applying config version {} written through management on another instance", write.version());
      adoptOn.execute(() -> adopter.accept(write.text()));
    }
  }

  /** Redis answers again (or for the first time): send what was written meanwhile, or read what others wrote. */
  private void catchUp() {
    if (unpublished.get() != null) {
      send();
      return;
    }
    readLatest();
  }

  /**
   * The channel is (re)subscribed: what was published before is not delivered, so read the latest. The subscription
   * may come after this instance's first answer from Redis, when an instance that came back sooner published.
   */
  private void subscribed() {
    subscribed = true;
    if (unpublished.get() == null) {
      readLatest();
    }
  }

  private void readLatest() {
    redis.call(c -> c.get(latestKey)).thenAccept(latest -> {
      if (latest == null) {
        seen.compareAndSet(-1, 0);
        return;
      }
      try {
        Write write = Write.parse(latest);
        if (!seen.compareAndSet(-1, write.version())) {
          adoptIfNewer(write);
        }
      } catch (RuntimeException e) {
        LOG.warn("Ignored malformed content at Redis key {}: {}", latestKey, e.toString());
      }
    });
  }
}
