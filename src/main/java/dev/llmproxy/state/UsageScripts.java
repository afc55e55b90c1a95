package dev.llmproxy.state;

/**
 * The Lua scripts of {@link RedisUsageCounters}: a period is {@code <prefix>usage:period} (its id, a space, when it
 * started in epoch milliseconds); in it each instance's counts are a hash {@code <prefix>usage:<id>:<instance>},
 * listed in the set {@code <prefix>usage:<id>:instances}. Stateless.
 */
final class UsageScripts {
  private UsageScripts() {}

  /**
   * Writes an instance's rows into the current period (or first starts a new one, or restores the one the instance
   * knew when Redis has none). KEYS: the period. ARGV: key prefix, the period the instance knows, instance, reset
   * (1/0), all rows (1/0), then fields and values. Answers {@code {'ok'|'moved'|'lost', period}}: moved = another
   * period is current (nothing written), lost = a partial write onto a hash Redis no longer has (send all rows).
   */
  static final String WRITE = """
      local cur = redis.call('GET', KEYS[1])
      if ARGV[4] == '1' and cur then
        local old = ARGV[1] .. string.match(cur, '^%S+')
        for _, i in ipairs(redis.call('SMEMBERS', old .. ':instances')) do redis.call('DEL', old .. ':' .. i) end
        redis.call('DEL', old .. ':instances')
      end
      if ARGV[4] == '1' or not cur then
        cur = ARGV[2]
        redis.call('SET', KEYS[1], cur)
      elseif cur ~= ARGV[2] then
        return {'moved', cur}
      end
      local period = ARGV[1] .. string.match(cur, '^%S+')
      local mine = period .. ':' .. ARGV[3]
      if ARGV[5] == '0' and redis.call('EXISTS', mine) == 0 then return {'lost', cur} end
      redis.call('SADD', period .. ':instances', ARGV[3])
      for i = 6, #ARGV, 2 do redis.call('HSET', mine, ARGV[i], ARGV[i + 1]) end
      return {'ok', cur}""";
  /** The current period, then every other instance's fields and values; empty without a period. */
  static final String READ = """
      local cur = redis.call('GET', KEYS[1])
      if not cur then return {} end
      local period = ARGV[1] .. string.match(cur, '^%S+')
      local out = {cur}
      for _, i in ipairs(redis.call('SMEMBERS', period .. ':instances')) do
        if i ~= ARGV[2] then
          for _, v in ipairs(redis.call('HGETALL', period .. ':' .. i)) do out[#out + 1] = v end
        end
      end
      return out""";
}
