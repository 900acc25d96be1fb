import type { Redis, Result } from 'ioredis';

/**
 * Snapshot write: refused (0) when the stored lease token is higher than the writer's. The token is the lease
 * revision the writer acquired its shard with; a new owner raises it first with `fwSnapshotClaim`. A snapshot
 * holds everything the journal (KEYS[2]) held, so the journal is emptied with it.
 */
const snapshotWrite = `
local stored = tonumber(redis.call('HGET', KEYS[1], 'token') or '0')
if tonumber(ARGV[1]) < stored then return 0 end
redis.call('HSET', KEYS[1], 'token', ARGV[1], 'seq', ARGV[2], 'version', ARGV[3], 'snapshot', ARGV[4], 'outbox', ARGV[5], 'published', ARGV[6])
redis.call('DEL', KEYS[2])
return 1
`;

/** Appends one commit's inputs (ARGV[2]) to the charger's journal, fenced like a snapshot write. */
const journalAppend = `
local stored = tonumber(redis.call('HGET', KEYS[1], 'token') or '0')
if tonumber(ARGV[1]) < stored then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[2])
return 1
`;

/**
 * Raises the stored token to the new owner's (creating the key if needed) and returns what is stored: the
 * snapshot's fields, then the journaled inputs after it.
 */
const snapshotClaim = `
local stored = tonumber(redis.call('HGET', KEYS[1], 'token') or '0')
if stored < tonumber(ARGV[1]) then redis.call('HSET', KEYS[1], 'token', ARGV[1]) end
return {redis.call('HMGET', KEYS[1], 'token', 'seq', 'version', 'snapshot', 'outbox', 'published'), redis.call('LRANGE', KEYS[2], 0, -1)}
`;

/** Keeps the transaction record with the newest updatedAt (ARGV[2]); returns 1 when it wrote. */
const transactionUpsert = `
local current = redis.call('GET', KEYS[1])
if current then
  local ok, decoded = pcall(cjson.decode, current)
  if ok and tonumber(decoded['updatedAt']) > tonumber(ARGV[2]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1])
return 1
`;

/** INCR that refuses to pass the int32 range: transaction ids are never reused, so they run out instead. */
const transactionNextId = `
local next = redis.call('INCR', KEYS[1])
if next > 2147483647 then
  redis.call('DECR', KEYS[1])
  return redis.error_reply('transaction ids exhausted (int32)')
end
return next
`;

/**
 * Merges live-state fields (ARGV: field, value pairs; an empty value removes the field) into fw:live:{serial} and
 * moves the serial between the filter indexes, all in one step. KEYS: live hash, connected index, then the index
 * key prefixes for OCPP status and op mode are built from ARGV[1] (the serial) in the script.
 */
const liveUpdate = `
local serial = ARGV[1]
local old = redis.call('HMGET', KEYS[1], 'connected', 'ocppStatus', 'opMode')
for i = 2, #ARGV, 2 do
  if ARGV[i + 1] == '' then redis.call('HDEL', KEYS[1], ARGV[i]) else redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
end
local new = redis.call('HMGET', KEYS[1], 'connected', 'ocppStatus', 'opMode')
if old[1] ~= new[1] then
  if new[1] == '1' then redis.call('ZADD', KEYS[2], 0, serial) else redis.call('ZREM', KEYS[2], serial) end
end
if old[2] ~= new[2] then
  if old[2] then redis.call('ZREM', 'fw:index:ocpp-status:' .. old[2], serial) end
  if new[2] then redis.call('ZADD', 'fw:index:ocpp-status:' .. new[2], 0, serial) end
end
if old[3] ~= new[3] then
  if old[3] then redis.call('ZREM', 'fw:index:opmode:' .. old[3], serial) end
  if new[3] then redis.call('ZADD', 'fw:index:opmode:' .. new[3], 0, serial) end
end
return 1
`;

/**
 * One page of a filtered charger listing, scanned inside Redis so that a page costs one round trip. Walks the
 * index (KEYS[1]) in lex order from ARGV[1] to ARGV[2], checking each serial's live hash (ARGV[8] .. serial ..
 * ARGV[9]) against the wanted connected/status/op mode (ARGV[5..7], '' for any). Stops at ARGV[3] + 1 matches or
 * after ARGV[4] serials, so a page's work is bounded however rare the matches. Returns the matches and the cursor
 * to resume from (false when the index is exhausted).
 */
const chargerSearch = `
local from, upper = ARGV[1], ARGV[2]
local limit, budget = tonumber(ARGV[3]), tonumber(ARGV[4])
local connected, status, opMode = ARGV[5], ARGV[6], ARGV[7]
local found, scanned = {}, 0
while scanned < budget do
  local batch = redis.call('ZRANGEBYLEX', KEYS[1], from, upper, 'LIMIT', 0, math.min(500, budget - scanned))
  if #batch == 0 then return {found, false} end
  for _, serial in ipairs(batch) do
    scanned = scanned + 1
    local live = redis.call('HMGET', ARGV[8] .. serial .. ARGV[9], 'connected', 'ocppStatus', 'opMode')
    if (connected == '' or (live[1] == '1') == (connected == '1'))
      and (status == '' or live[2] == status)
      and (opMode == '' or live[3] == opMode) then
      if #found == limit then return {found, found[limit]} end
      found[#found + 1] = serial
    end
    from = '(' .. serial
  end
end
return {found, string.sub(from, 2)}
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    fwSnapshotWrite(
      key: string,
      journal: string,
      token: number,
      seq: number,
      version: number,
      snapshot: string,
      outbox: string,
      published: number,
    ): Result<number, Context>;
    fwJournalAppend(key: string, journal: string, token: number, inputs: string): Result<number, Context>;
    fwSnapshotClaim(key: string, journal: string, token: number): Result<[(string | null)[], string[]], Context>;
    fwTransactionUpsert(key: string, record: string, updatedAt: number): Result<number, Context>;
    fwTransactionNextId(key: string): Result<number, Context>;
    fwLiveUpdate(live: string, connectedIndex: string, serial: string, ...fields: string[]): Result<number, Context>;
    fwChargerSearch(index: string, ...args: string[]): Result<[string[], string | null], Context>;
  }
}

export function defineScripts(redis: Redis): void {
  redis.defineCommand('fwSnapshotWrite', { numberOfKeys: 2, lua: snapshotWrite });
  redis.defineCommand('fwJournalAppend', { numberOfKeys: 2, lua: journalAppend });
  redis.defineCommand('fwSnapshotClaim', { numberOfKeys: 2, lua: snapshotClaim });
  redis.defineCommand('fwTransactionUpsert', { numberOfKeys: 1, lua: transactionUpsert });
  redis.defineCommand('fwTransactionNextId', { numberOfKeys: 1, lua: transactionNextId });
  redis.defineCommand('fwLiveUpdate', { numberOfKeys: 2, lua: liveUpdate });
  redis.defineCommand('fwChargerSearch', { numberOfKeys: 1, lua: chargerSearch });
}
