import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { launchDatabase } from './db/launcher.js';
import { connectDatabase, disconnectDatabase } from './db/connect.js';
import { createModels, ensureIndexes } from './models/index.js';
import { createApp } from './app.js';
import { connectRedis } from './db/redis.js';
import { seedDemoBoard, DEMO_LOGINS } from './seed/demo-board.js';

/** The only file that reads the environment, listens and handles signals. */
async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
  const logger = createLogger(config.logLevel);
  if (config.jwtSecretIsDevDefault) logger.warn('JWT_SECRET is not set: using the insecure development default (never do this in production)');

  const db = await launchDatabase({ logger, mongodbUri: config.mongodbUri, dataDir: config.dataDir ?? '.data/ferretdb' });
  const conn = await connectDatabase(db.uri, config.dbName);
  const models = createModels(conn);
  await ensureIndexes(models);
  // REDIS_URL: one node of several (shared rooms and presence); unset: a single node, no Redis.
  const redis = config.redisUrl ? await connectRedis({ url: config.redisUrl, logger }) : undefined;
  const forum = createApp({ config, logger, models, redis });

  const seeded = await seedDemoBoard(forum.services, config.seedDemo);
  await new Promise<void>((resolve) => forum.httpServer.listen(config.port, config.host, resolve));
  const address = forum.httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ engine: db.engine, port }, `forum listening on http://${config.host}:${port}`);
  if (seeded) {
    logger.info('Demo board seeded. Demo logins:');
    for (const l of DEMO_LOGINS) logger.info(`  ${l.role.padEnd(9)} ${l.username} / ${l.password}`);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await forum.close();
    await redis?.close();
    await disconnectDatabase(conn);
    await db.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  process.stderr.write(`fatal: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
