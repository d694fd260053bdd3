import mongoose, { type Connection } from 'mongoose';

// Filters built from request data can never smuggle query operators ({$gt: ""}).
mongoose.set('sanitizeFilter', true);
mongoose.set('strictQuery', true);
// Mongoose records `new Error().stack` on every query for its "Query was already executed"
// message; with source maps on, that was 1-2.5 % of the server's busy time under load.
mongoose.set('skipOriginalStackTraces', true);

/** `monitorCommands` makes the driver emit an event per command (the bench tools time them). */
export async function connectDatabase(uri: string, dbName: string, { monitorCommands = false } = {}): Promise<Connection> {
  const conn = mongoose.createConnection(uri, {
    dbName,
    monitorCommands,
    autoIndex: false,
    serverSelectionTimeoutMS: 10_000,
    maxPoolSize: 20,
  });
  await conn.asPromise();
  return conn;
}

export async function disconnectDatabase(conn: Connection): Promise<void> {
  await conn.close();
}

/**
 * Mark an operator object written by the server itself (never from a request) as trusted,
 * so `sanitizeFilter` leaves it alone: `{ seq: op({ $lt: n }) }`.
 */
export function op<T extends Record<`$${string}`, unknown>>(operators: T): T {
  return mongoose.trusted(operators) as T;
}
