// One database server for the whole run; each test file uses its own database name on it.
import { pino } from 'pino';
import type { TestProject } from 'vitest/node';
import { launchDatabase } from '../server/db/launcher.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const logger = pino({ level: 'warn', base: { scope: 'tests' } });
  const db = await launchDatabase({ logger, mongodbUri: process.env.MONGODB_URI || undefined });
  project.provide('mongoUri', db.uri);
  return () => db.stop();
}
