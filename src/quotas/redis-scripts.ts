/**
 * The Lua scripts behind the Redis limiter: the same rules as MemoryQuotaLimiter,
 * applied atomically to one hash per deployment (fields rs, rc: request window
 * start and count; ts, tc: token window start and count), so every instance
 * sees one count. One script call per request; the hash expires by itself
 * when both windows have ended.
 */

/** KEYS[1] the deployment's hash; ARGV: now, requests per window, tokens per minute, estimate, request window ms, token window ms. */
export const ADMIT_SCRIPT = `
local now = tonumber(ARGV[1])
local rpw = tonumber(ARGV[2])
local tpm = tonumber(ARGV[3])
local estimate = tonumber(ARGV[4])
local rw = tonumber(ARGV[5])
local tw = tonumber(ARGV[6])
local v = redis.call('HMGET', KEYS[1], 'rs', 'rc', 'ts', 'tc')
local rs = tonumber(v[1])
local rc = tonumber(v[2]) or 0
local ts = tonumber(v[3])
local tc = tonumber(v[4]) or 0
if rs == nil or now >= rs + rw then rs = now; rc = 0 end
if ts == nil or now >= ts + tw then ts = now; tc = 0 end
local rwait = 0
local twait = 0
if rc >= rpw then rwait = rs + rw - now end
if tc >= tpm then twait = ts + tw - now end
rc = rc + 1
local allowed = 0
if rwait == 0 and twait == 0 then
  allowed = 1
  tc = tc + estimate
end
redis.call('HSET', KEYS[1], 'rs', string.format('%d', rs), 'rc', rc, 'ts', string.format('%d', ts), 'tc', string.format('%d', tc))
redis.call('PEXPIRE', KEYS[1], math.max(rs + rw, ts + tw) - now)
local exceeded = 0
if allowed == 0 then
  if twait > rwait then exceeded = 2 else exceeded = 1 end
end
return { allowed, math.max(0, rpw - rc), math.max(0, tpm - tc), math.max(rwait, twait), exceeded }
`;

/** KEYS[1] the deployment's hash; ARGV: admitted at, delta tokens, token window ms. Changes the count only within the same minute. */
export const SETTLE_SCRIPT = `
local at = tonumber(ARGV[1])
local delta = tonumber(ARGV[2])
local tw = tonumber(ARGV[3])
local ts = tonumber(redis.call('HGET', KEYS[1], 'ts'))
if ts == nil or at < ts or at >= ts + tw then return 0 end
local tc = (tonumber(redis.call('HGET', KEYS[1], 'tc')) or 0) + delta
if tc < 0 then tc = 0 end
redis.call('HSET', KEYS[1], 'tc', string.format('%d', tc))
return 1
`;
