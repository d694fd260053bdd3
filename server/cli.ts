import { parseArgs } from 'node:util';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { launchDatabase } from './db/launcher.js';
import { connectDatabase, disconnectDatabase } from './db/connect.js';
import { createModels, ensureIndexes } from './models/index.js';
import { createServices } from './services/index.js';
import { registerBody, role } from '../shared/schemas.js';

const USAGE = `Usage:
  npm run cli -- create-user --username NAME --password PASS [--role member|moderator|admin]

Uses MONGODB_URI when set; otherwise the embedded database in .data/ (stop the server first).`;

/** Administrative commands against the same database the server uses. */
async function main() {
  const [commandName, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({ args: rest, options: { username: { type: 'string' }, password: { type: 'string' }, role: { type: 'string' } }, strict: true });
  if (!commandName || !['create-user'].includes(commandName)) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  const config = loadConfig();
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn', 'cli');
  const db = await launchDatabase({ logger, mongodbUri: config.mongodbUri, dataDir: config.dataDir ?? '.data/ferretdb' });
  const conn = await connectDatabase(db.uri, config.dbName);
  try {
    const models = createModels(conn);
    await ensureIndexes(models);
    const services = createServices({ models, config, logger, sink: { publish: () => {} } });
    if (commandName === 'create-user') {
      const input = registerBody.parse({ username: values.username, password: values.password });
      const r = role.parse(values.role ?? 'member');
      const user = await services.auth.createUser({ ...input, role: r });
      process.stdout.write(`created ${r} ${user.username} (${String(user._id)})\n`);
    }
  } finally {
    await disconnectDatabase(conn);
    await db.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
