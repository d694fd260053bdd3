// The bench's servers each start their own database through the project's launcher (so a
// fresh FerretDB, or MONGODB_URI when set) and report the database's pid to the parent,
// which stops it by pid if anything goes wrong.
import { pino, type Logger } from 'pino';
import { launchDatabase, type LaunchedDatabase } from '../../server/db/launcher.js';

/** Logs at warn and up to stderr; picks the FerretDB pid out of the launcher's info line. */
export async function startBenchDatabase(): Promise<{ db: LaunchedDatabase; dbPid: number | null; logger: Logger }> {
  let dbPid: number | null = null;
  const logger = pino(
    { level: 'info', base: { bench: process.argv[1]?.split('/').pop() } },
    {
      write(line: string) {
        const entry = JSON.parse(line) as { level: number; ferretdbPid?: number };
        if (typeof entry.ferretdbPid === 'number') dbPid = entry.ferretdbPid;
        if (entry.level >= 40) process.stderr.write(line);
      },
    },
  );
  const db = await launchDatabase({ logger, mongodbUri: process.env.MONGODB_URI || undefined });
  return { db, dbPid, logger };
}
