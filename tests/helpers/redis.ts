import { startRedisServer, type RedisServer } from '../../scripts/redis-server.js';
import { freePort } from './process.js';

export type { RedisServer };

/** A fresh redis-server on a free loopback port; the caller stops it (by pid) in afterAll. */
export async function startRedis(): Promise<RedisServer> {
  return startRedisServer({ port: await freePort() });
}
