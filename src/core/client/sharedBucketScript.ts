/**
 * The Lua script behind {@link SharedBuckets}: one account-and-model's requests bucket and tokens bucket in one
 * Redis hash, refilled and changed in the same step.
 *
 * Why a script and not GET/SET from each process: Redis runs a script atomically (no other command runs in
 * between), so "refill, check both buckets, take from both" is one indivisible step across every process and
 * machine, in one round trip. A read-modify-write from the client would need WATCH/MULTI retries under
 * contention. Libraries such as `rate-limiter-flexible` implement fixed or sliding windows over one counter;
 * we need two continuous buckets taken together, header corrections and a shared pause, so a small script fits
 * better. Time is Redis's own `TIME`, so machines with skewed clocks still agree (allowed in scripts since
 * Redis 5 with effects replication, the default in 7: https://redis.io/docs/latest/develop/interact/programmability/eval-intro/).
 *
 * Fields: rp/rc/rl requests per minute, capacity, level; tp/tc/tl the same for tokens; t last refill (ms);
 * pu paused until (ms). KEYS[1] the hash; ARGV[1] the operation, ARGV[2..5] the caller's starting limits
 * (rp, rc, tp, tc) used only when the hash does not exist yet, ARGV[6..] the operation's arguments.
 * Every reply is a list of strings (Redis would truncate Lua numbers to integers):
 * { wait ms (0 = taken / done), rp, rc, tp, tc }.
 */
export const SHARED_BUCKET_SCRIPT = `
local key = KEYS[1]
local op = ARGV[1]
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + tonumber(clock[2]) / 1000
local b = {}
local stored = redis.call('HMGET', key, 'rp', 'rc', 'rl', 'tp', 'tc', 'tl', 't', 'pu')
if stored[1] then
  b.rp, b.rc, b.rl = tonumber(stored[1]), tonumber(stored[2]), tonumber(stored[3])
  b.tp, b.tc, b.tl = tonumber(stored[4]), tonumber(stored[5]), tonumber(stored[6])
  b.t, b.pu = tonumber(stored[7]), tonumber(stored[8])
else
  b.rp, b.rc, b.tp, b.tc = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
  b.rl, b.tl, b.t, b.pu = b.rc, b.tc, now, 0
end
local elapsed = math.max(0, now - b.t)
b.rl = math.min(b.rc, b.rl + elapsed * b.rp / 60000)
b.tl = math.min(b.tc, b.tl + elapsed * b.tp / 60000)
b.t = now
local function clamp(level, perMinute, capacity)
  return math.max(-perMinute, math.min(capacity, level))
end
local function timeUntil(level, weight, perMinute, capacity, headroomMs)
  local rate = perMinute / 60000
  local missing = math.min(weight + rate * headroomMs, capacity) - level
  if missing <= 0 then return 0 end
  return missing / rate
end
-- A new per-minute limit rescales the burst (same seconds' worth); a new capacity clamps the level; a server
-- level below ours (plus the refill it may not have counted yet) lowers ours: someone outside drew from it.
local function correct(prefix, limit, capacity, remaining, slack)
  local p, c, l = b[prefix .. 'p'], b[prefix .. 'c'], b[prefix .. 'l']
  if limit and limit > 0 and limit ~= p then
    c = c * limit / p
    p = limit
    l = math.min(l, c)
  end
  if capacity and capacity > 0 and math.abs(capacity - c) > c * 0.02 then
    c = capacity
    l = math.min(l, c)
  end
  if remaining then
    local serverLevel = remaining * c / p + (slack or 0)
    if serverLevel < l then l = serverLevel end
  end
  b[prefix .. 'p'], b[prefix .. 'c'], b[prefix .. 'l'] = p, c, l
end
local wait = 0
if op == 'take' then
  local weight, headroomMs = tonumber(ARGV[6]), tonumber(ARGV[7])
  wait = math.max(b.pu - now, timeUntil(b.rl, 1, b.rp, b.rc, headroomMs), timeUntil(b.tl, weight, b.tp, b.tc, headroomMs))
  if wait <= 0 then
    wait = 0
    b.rl = b.rl - 1
    b.tl = b.tl - weight
  end
elseif op == 'adjust' then
  b.rl = clamp(b.rl + tonumber(ARGV[6]), b.rp, b.rc)
  b.tl = clamp(b.tl + tonumber(ARGV[7]), b.tp, b.tc)
elseif op == 'pause' then
  b.pu = math.max(b.pu, now + tonumber(ARGV[6]))
elseif op == 'correct' then
  correct('r', tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9]))
  correct('t', tonumber(ARGV[10]), tonumber(ARGV[11]), tonumber(ARGV[12]), tonumber(ARGV[13]))
end
redis.call('HSET', key, 'rp', tostring(b.rp), 'rc', tostring(b.rc), 'rl', tostring(b.rl),
  'tp', tostring(b.tp), 'tc', tostring(b.tc), 'tl', tostring(b.tl), 't', tostring(b.t), 'pu', tostring(b.pu))
redis.call('PEXPIRE', key, 600000)
return { tostring(math.ceil(wait)), tostring(b.rp), tostring(b.rc), tostring(b.tp), tostring(b.tc) }
`;
