package dev.llmproxy.state;

/**
 * The {@link dev.llmproxy.management.LoginFailures} policy as Lua scripts, so that Redis applies it atomically for
 * the whole fleet; the same rules as {@code InMemoryLoginFailures}, line for line. A tally (one per client address,
 * one for everyone) is a hash: {@code failures} in the window, {@code last} failure, locked {@code until}, {@code
 * next} check allowed, {@code locked-failures} (which double the pause); 0 means none. It expires a lockout after its
 * last failure, when it would be forgotten anyway. Checks admitted and not yet reported are a sorted set beside it,
 * scored by when they are given up, so an instance that stops mid-check leaks nothing. Times are milliseconds of the
 * calling instance's clock. Stateless.
 */
final class LoginFailureScripts {
  private LoginFailureScripts() {}

  /** Loads a tally, forgetting what its window no longer holds; ARGV[1] now, ARGV[2] the lockout. */
  private static final String LOAD = """
      local now = tonumber(ARGV[1])
      local lockout = tonumber(ARGV[2])
      local function load(key, pending)
        redis.call('ZREMRANGEBYSCORE', pending, '-inf', now)
        local v = redis.call('HMGET', key, 'failures', 'last', 'until', 'next', 'locked-failures')
        local t = {key = key, failures = tonumber(v[1]) or 0, last = tonumber(v[2]) or 0, locked = tonumber(v[3]) or 0,
          nextCheck = tonumber(v[4]) or 0, lockedFailures = tonumber(v[5]) or 0, pending = redis.call('ZCARD', pending)}
        if t.locked > 0 and t.locked <= now then
          t.failures, t.last, t.locked, t.nextCheck, t.lockedFailures = 0, 0, 0, 0, 0
        elseif t.locked == 0 and t.last > 0 and t.last + lockout < now then
          t.failures, t.last = 0, 0
        end
        return t
      end
      local client = load(KEYS[1], KEYS[2])
      local total = load(KEYS[3], KEYS[4])
      """;

  /**
   * Admits a check. KEYS: client, client's pending, total, total's pending. ARGV: now, lockout, per-client limit,
   * total limit, check id, how long a pending check counts, first pause. Answers {@code {'check', locked}}, {@code
   * {'refused', milliseconds, everyone}} or {@code {'wait', everyone}} (pending checks decide first).
   */
  static final String ADMIT = LOAD + """
      local function undecided(t, max) return t.locked == 0 and t.failures + t.pending >= max end
      local clientUndecided = undecided(client, tonumber(ARGV[3]))
      if clientUndecided or undecided(total, tonumber(ARGV[4])) then
        return {'wait', clientUndecided and 0 or 1}
      end
      local function pause(t)
        if t.locked == 0 then return 0 end
        if t.pending > 0 then return tonumber(ARGV[7]) end
        if t.nextCheck > now then return t.nextCheck - now end
        return 0
      end
      local p = pause(client)
      if p > 0 then return {'refused', p, 0} end
      p = pause(total)
      if p > 0 then return {'refused', p, 1} end
      for _, key in ipairs({KEYS[2], KEYS[4]}) do
        redis.call('ZADD', key, now + tonumber(ARGV[6]), ARGV[5])
        redis.call('PEXPIRE', key, ARGV[6])
      end
      return {'check', (client.locked > 0 or total.locked > 0) and 1 or 0}""";

  /**
   * Reports failed checks (one admitted one, or several counted elsewhere with an empty check id). KEYS as {@link
   * #ADMIT}. ARGV: now, lockout, per-client limit, total limit, check id, failures, first pause, longest pause.
   * Answers {@code {locked, milliseconds until the next check, everyone}}.
   */
  static final String FAILED = """
      redis.call('ZREM', KEYS[2], ARGV[5])
      redis.call('ZREM', KEYS[4], ARGV[5])
      """ + LOAD + """
      local function fail(t, max)
        t.failures = t.failures + 1
        t.last = now
        if t.locked > 0 then
          t.locked = now + lockout
          t.nextCheck = now + math.min(tonumber(ARGV[8]), tonumber(ARGV[7]) * 2 ^ math.min(t.lockedFailures, 20))
          t.lockedFailures = t.lockedFailures + 1
        elseif t.failures >= max then
          t.locked = now + lockout
          t.nextCheck = now
        end
      end
      for i = 1, tonumber(ARGV[6]) do
        local clientWasLocked = client.locked > 0
        fail(client, tonumber(ARGV[3]))
        if not clientWasLocked or total.locked > 0 then fail(total, tonumber(ARGV[4])) end
      end
      for _, t in ipairs({client, total}) do
        redis.call('HSET', t.key, 'failures', t.failures, 'last', string.format('%d', t.last),
          'until', string.format('%d', t.locked), 'next', string.format('%d', t.nextCheck),
          'locked-failures', t.lockedFailures)
        redis.call('PEXPIRE', t.key, string.format('%d', lockout + 1000))
      end
      if client.locked > 0 then return {1, client.nextCheck - now, 0} end
      if total.locked > 0 then return {1, total.nextCheck - now, 1} end
      return {0, 0, 0}""";

  /**
   * Withdraws a pending check; with ARGV[2] = 1 it matched, and the client's tally is cleared. KEYS: client, client's
   * pending, total's pending. ARGV: check id, matched.
   */
  static final String RELEASE = """
      redis.call('ZREM', KEYS[2], ARGV[1])
      redis.call('ZREM', KEYS[3], ARGV[1])
      if ARGV[2] == '1' then redis.call('DEL', KEYS[1]) end
      return 1""";
}
