import pino, { type Logger } from 'pino';

/** Pretty output only on a terminal; JSON lines everywhere else. */
export function createLogger(level: string, name = 'forum'): Logger {
  const pretty = process.stdout.isTTY && level !== 'silent';
  return pino({
    name,
    level,
    redact: ['req.headers.authorization', 'token', 'password', '*.token', '*.password'],
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss' } } } : {}),
  });
}

export type { Logger };
