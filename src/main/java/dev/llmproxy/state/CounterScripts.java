package dev.llmproxy.state;

/**
 * The Lua scripts of {@link RedisCounters}. A counter is {@code <prefix>counter:<name>}, its total; the part of the
 * total that came from floors rather than additions is {@code <prefix>counter-floor:<name>}, so that raising a floor
 * again, or from another instance, adds only what it lacks. {@code <prefix>counter-epoch} (no expiry) names the
 * Redis the counters live in: a Redis restarted empty has none, and the first instance back writes a new one, so
 * every instance that knew another epoch learns that the counters it knew are gone. {@link #ADD}, {@link #RAISE} and
 * {@link #READ} check the epoch in the same round trip: when it is not the one the instance names (its data was
 * flushed, evicted or failed over while the connection stayed up), they change nothing and answer the error
 * {@link #LOST}, so that no answer from the emptied Redis lowers an instance's view before it has restored its
 * counters. Stateless.
 */
final class CounterScripts {
  private CounterScripts() {}

  /** The code of the error the scripts answer when the epoch is not the one the instance knows. */
  static final String LOST = "LOST";

  /**
   * Refuses a script whose instance knows another epoch (ARGV[3]; '' before its first restore: nothing to compare).
   * KEYS[3] is the epoch.
   */
  private static final String SAME_EPOCH = """
      if ARGV[3] ~= '' and redis.call('GET', KEYS[3]) ~= ARGV[3] then
        return redis.error_reply('LOST counters of another epoch')
      end
      """;

  /**
   * Adds to a counter and restarts its life. KEYS: counter, floor, epoch. ARGV: delta, ttl in ms, the epoch known.
   * Answers the total.
   */
  static final String ADD = SAME_EPOCH + """
      local total = redis.call('INCRBY', KEYS[1], ARGV[1])
      redis.call('PEXPIRE', KEYS[1], ARGV[2])
      redis.call('PEXPIRE', KEYS[2], ARGV[2])
      return total""";

  /**
   * Raises a counter's floor to at least ARGV[1] (adding the difference to its total) and restarts its life. KEYS:
   * counter, floor, epoch. ARGV: floor, ttl in ms, the epoch known. Answers the total.
   */
  static final String RAISE = SAME_EPOCH + """
      local floor = tonumber(redis.call('GET', KEYS[2]) or '0')
      local wanted = tonumber(ARGV[1])
      if wanted > floor then
        redis.call('INCRBY', KEYS[1], wanted - floor)
        redis.call('SET', KEYS[2], wanted)
      end
      local total = tonumber(redis.call('GET', KEYS[1]) or '0')
      redis.call('SET', KEYS[1], total, 'PX', ARGV[2])
      redis.call('PEXPIRE', KEYS[2], ARGV[2])
      return total""";

  /**
   * Catches a counter up after an outage: adds what could not be sent, raises the floor this instance asked for, and,
   * when the epoch is not the one the instance knew (Redis lost its data meanwhile), raises the floor to the total the
   * instance last read, so the counts made before the loss come back once however many instances restore them.
   * Writes a new epoch when there is none. KEYS: counter, floor, epoch. ARGV: unsent, floor, total last read, ttl in
   * ms, the epoch known ('' when none yet: nothing to compare), a new epoch. Answers {@code {total, epoch}}.
   */
  static final String RESTORE = """
      local epoch = redis.call('GET', KEYS[3])
      if not epoch then
        epoch = ARGV[6]
        redis.call('SET', KEYS[3], epoch)
      end
      local wanted = tonumber(ARGV[2])
      if ARGV[5] ~= '' and ARGV[5] ~= epoch then
        wanted = math.max(wanted, tonumber(ARGV[3]))
      end
      local total = redis.call('INCRBY', KEYS[1], ARGV[1])
      local floor = tonumber(redis.call('GET', KEYS[2]) or '0')
      if wanted > floor then
        total = redis.call('INCRBY', KEYS[1], wanted - floor)
        redis.call('SET', KEYS[2], wanted)
      end
      redis.call('PEXPIRE', KEYS[1], ARGV[4])
      redis.call('PEXPIRE', KEYS[2], ARGV[4])
      return {total, epoch}""";

  /** A counter's total. KEYS: counter, floor (unused), epoch. ARGV: unused, unused, the epoch known. */
  static final String READ = SAME_EPOCH + """
      return tonumber(redis.call('GET', KEYS[1]) or '0')""";

  /** The epoch, written first when there is none. KEYS: epoch. ARGV: a new epoch. Answers the epoch. */
  static final String EPOCH = """
      local epoch = redis.call('GET', KEYS[1])
      if not epoch then
        epoch = ARGV[1]
        redis.call('SET', KEYS[1], epoch)
      end
      return epoch""";
}
