import { parseArgs } from 'node:util';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { launchDatabase } from './db/launcher.js';
import { connectDatabase, disconnectDatabase } from './db/connect.js';
import { createModels, ensureIndexes } from './models/index.js';
import { createServices } from './services/index.js';
import { registerBody, role, createBotBody, createApiTokenBody } from '../shared/schemas.js';

const USAGE = `Usage:
  npm run cli -- create-user --username NAME --password PASS [--role member|moderator|admin]
  npm run cli -- recount      rebuild thanks and post counters, "last post" and poll totals from their sources; prints every correction as JSON
  npm run -s cli -- create-bot --username NAME --scopes read,post,thank [--forums ID,ID] [--name LABEL]
                              makes the bot account (or reuses it) and prints a new API token alone on stdout

Uses MONGODB_URI when set; otherwise the embedded database in .data/ (stop the server first).`;

/** Administrative commands against the same database the server uses. */
async function main() {
  const [commandName, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({ args: rest, options: { username: { type: 'string' }, password: { type: 'string' }, role: { type: 'string' }, scopes: { type: 'string' }, forums: { type: 'string' }, name: { type: 'string' } }, strict: true });
  if (!commandName || !['create-user', 'recount', 'create-bot'].includes(commandName)) {
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
    if (commandName === 'create-bot') {
      const list = (v: string | undefined) => (v ? v.split(',').map((x) => x.trim()).filter(Boolean) : undefined);
      const { username } = createBotBody.parse({ username: values.username });
      const grant = createApiTokenBody.parse({ scopes: list(values.scopes) ?? ['read'], forums: list(values.forums), name: values.name ?? 'cli' });
      const bot = (await services.bots.findByName(username)) ?? (await services.bots.createAccount({ username }));
      const { token, info } = await services.bots.grant(bot.id, grant);
      process.stderr.write(`bot ${bot.username} (${bot.id}): token ${info.id} with scopes ${info.scopes.join(',')}${info.forums.length ? ` in forums ${info.forums.join(',')}` : ''}; the token is shown only now:\n`);
      process.stdout.write(`${token}\n`);
    }
    if (commandName === 'recount') {
      const report = await services.recount.run();
      process.stdout.write(`${JSON.stringify({ ...report, pollsFixed: await services.polls.recount() }, null, 2)}\n`);
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
