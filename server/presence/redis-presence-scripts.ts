/**
 * Lua run inside Redis, so that each read sees one consistent state and each HTTP visit is
 * one atomic step whichever node records it. ARGV[1] is always the key prefix. Key names
 * are derived inside the scripts: this targets a single Redis server (or a primary with
 * replicas), not Redis Cluster.
 *
 * Layout, with P the prefix:
 *   P:nodes                    SET of node ids
 *   P:node:<id>:alive          a key with a TTL, renewed by the node's heartbeat
 *   P:node:<id>:sockets        HASH socket id -> JSON SocketPresence
 *   P:node:<id>:topic:<topic>  SET of that node's socket ids viewing the topic
 *   P:http:last                ZSET visitor key -> last active (ms)
 *   P:http:since / :visitor / :topic / :forum   HASHes visitor key -> since / JSON Visitor /
 *                              JSON TopicView / JSON ForumView (a visitor has a topic or a forum, not both)
 */

const LIVE_NODES = `
local live = {}
for _, id in ipairs(redis.call('SMEMBERS', ARGV[1] .. ':nodes')) do
  if redis.call('EXISTS', ARGV[1] .. ':node:' .. id .. ':alive') == 1 then live[#live + 1] = id end
end
`;

/**
 * The ids of the nodes whose heartbeat has not lapsed; the others are forgotten (their keys
 * expire by themselves; a node that was only slow registers again with its next heartbeat).
 */
export const PRUNE_NODES_SCRIPT = `
local live = {}
for _, id in ipairs(redis.call('SMEMBERS', ARGV[1] .. ':nodes')) do
  if redis.call('EXISTS', ARGV[1] .. ':node:' .. id .. ':alive') == 1 then live[#live + 1] = id
  else redis.call('SREM', ARGV[1] .. ':nodes', id) end
end
return live`;

/** Every socket of every live node (JSON strings). */
export const ALL_SOCKETS_SCRIPT = `${LIVE_NODES}
local out = {}
for _, id in ipairs(live) do
  for _, v in ipairs(redis.call('HVALS', ARGV[1] .. ':node:' .. id .. ':sockets')) do out[#out + 1] = v end
end
return out`;

/** The sockets of live nodes viewing topic ARGV[2] (JSON strings). */
export const TOPIC_SOCKETS_SCRIPT = `${LIVE_NODES}
local out = {}
for _, id in ipairs(live) do
  local node = ARGV[1] .. ':node:' .. id
  for _, sid in ipairs(redis.call('SMEMBERS', node .. ':topic:' .. ARGV[2])) do
    local v = redis.call('HGET', node .. ':sockets', sid)
    if v then out[#out + 1] = v end
  end
end
return out`;

/** Lua: forget HTTP visitor \`k\` (prefix \`p\`); 1 if it was there, else 0. */
const FORGET_HTTP = `
local function forget(p, k)
  local was = redis.call('ZREM', p .. ':http:last', k)
  redis.call('HDEL', p .. ':http:since', k)
  redis.call('HDEL', p .. ':http:visitor', k)
  redis.call('HDEL', p .. ':http:topic', k)
  redis.call('HDEL', p .. ':http:forum', k)
  return was
end
`;

/**
 * Record an HTTP visit: ARGV = prefix, visitor key, at, expiredBefore, visitor JSON, topic JSON or '',
 * forum page JSON or '' (at most one of the two), the key of a visitor this one replaces or ''
 * (a guest session that signed in). Same rules as the memory store: a visitor last seen at or
 * before expiredBefore starts a new visit; a place replaces the remembered one. Returns 1 when
 * the replaced visitor was there (and is forgotten), else 0.
 */
export const RECORD_HTTP_SCRIPT = `${FORGET_HTTP}
local p, key, at, expired = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local prev = redis.call('ZSCORE', p .. ':http:last', key)
local fresh = (not prev) or tonumber(prev) <= expired
if fresh then
  redis.call('HSET', p .. ':http:since', key, ARGV[3])
  redis.call('ZADD', p .. ':http:last', ARGV[3], key)
  if ARGV[6] == '' and ARGV[7] == '' then
    redis.call('HDEL', p .. ':http:topic', key)
    redis.call('HDEL', p .. ':http:forum', key)
  end
elseif at > tonumber(prev) then
  redis.call('ZADD', p .. ':http:last', ARGV[3], key)
end
redis.call('HSET', p .. ':http:visitor', key, ARGV[5])
if ARGV[6] ~= '' then
  redis.call('HSET', p .. ':http:topic', key, ARGV[6])
  redis.call('HDEL', p .. ':http:forum', key)
elseif ARGV[7] ~= '' then
  redis.call('HSET', p .. ':http:forum', key, ARGV[7])
  redis.call('HDEL', p .. ':http:topic', key)
end
if ARGV[8] ~= '' then return forget(p, ARGV[8]) end
return 0`;

const HTTP_ROWS = `
local function rows(keys)
  local out = {}
  for i = 1, #keys, 2 do
    local key = keys[i]
    out[#out + 1] = {
      keys[i + 1],
      redis.call('HGET', p .. ':http:since', key) or keys[i + 1],
      redis.call('HGET', p .. ':http:visitor', key) or '',
      redis.call('HGET', p .. ':http:topic', key) or '',
      redis.call('HGET', p .. ':http:forum', key) or '',
    }
  end
  return out
end
`;

/** HTTP visitors last active after ARGV[2]: rows of {lastActive, since, visitor JSON, topic JSON or '', forum JSON or ''}. */
export const HTTP_VISITORS_SCRIPT = `
local p = ARGV[1]
${HTTP_ROWS}
return rows(redis.call('ZRANGEBYSCORE', p .. ':http:last', '(' .. ARGV[2], '+inf', 'WITHSCORES'))`;

/** Forget HTTP visitor ARGV[2] whenever it was last active: 1 if it was there, else 0. */
export const FORGET_HTTP_SCRIPT = `${FORGET_HTTP}
return forget(ARGV[1], ARGV[2])`;

/** Remove and return HTTP visitors last active at or before ARGV[2] (rows as above). */
export const EXPIRE_HTTP_SCRIPT = `
local p = ARGV[1]
${HTTP_ROWS}
local keys = redis.call('ZRANGEBYSCORE', p .. ':http:last', '-inf', ARGV[2], 'WITHSCORES')
local out = rows(keys)
for i = 1, #keys, 2 do
  redis.call('ZREM', p .. ':http:last', keys[i])
  redis.call('HDEL', p .. ':http:since', keys[i])
  redis.call('HDEL', p .. ':http:visitor', keys[i])
  redis.call('HDEL', p .. ':http:topic', keys[i])
  redis.call('HDEL', p .. ':http:forum', keys[i])
end
return out`;
