import type { Logger } from 'pino';
import type { ZodType } from 'zod';
import type { Socket } from 'socket.io';
import type { Ack } from '../../shared/ack.js';
import type { ErrorBody } from '../../shared/errors.js';
import { fromZod, toErrorBody } from '../errors.js';

/** A socket command: its event, the shared schema of its payload, and what it does for a socket. */
export interface Command<P = any, R = unknown> {
  event: string;
  schema: ZodType<P>;
  run(socket: Socket, payload: P): Promise<R>;
}

export const defineCommand = <P, R>(event: string, schema: ZodType<P>, run: (socket: Socket, payload: P) => Promise<R>): Command<P, R> => ({ event, schema, run });

/** Checked before a command runs (rate limit, nesting depth): the refusal to answer, or null. */
export type AdmitCommand = (socket: Socket, payload: unknown) => ErrorBody | null | Promise<ErrorBody | null>;

type Reply = (a: Ack<unknown>) => void;
type Listener = (this: Socket, payload: unknown, reply: Reply) => Promise<void>;
/** Receives every event a socket sends, with `this` = the socket (Socket.IO's `onAny`). */
export type CommandRouter = (this: Socket, event: unknown, ...args: unknown[]) => void;

const refusal = (message: string): Ack<unknown> => ({ ok: false, error: { code: 'BAD_REQUEST', message } });

/**
 * One router for the whole server, attached to each socket with `socket.onAny`: it hands each
 * event to its command's listener, built once and shared too. An idle connection so holds one
 * reference, not a listener (nor a closure and its context) per command of its own.
 *
 * Each command parses the payload with its schema, runs, and answers with an Ack. The ack is
 * the event's last argument: a command sent with none is ignored (there is nothing to answer),
 * while one sent with an ack but not exactly one payload before it, or an event no command
 * has, is answered BAD_REQUEST rather than left waiting.
 */
export function commandRouter(commands: Command[], logger: Logger, admit?: AdmitCommand): CommandRouter {
  const listeners = new Map<string, Listener>();
  for (const { event, schema, run } of commands) {
    listeners.set(event, async function (this: Socket, payload: unknown, reply: Reply) {
      const refused = admit ? await admit(this, payload) : null;
      if (refused) return reply({ ok: false, error: refused });
      const parsed = schema.safeParse(payload);
      if (!parsed.success) return reply({ ok: false, error: fromZod(parsed.error).toBody() });
      try {
        reply({ ok: true, data: await run(this, parsed.data) });
      } catch (err) {
        const { body, unexpected } = toErrorBody(err);
        if (unexpected) logger.error({ err, event, socket: this.id, user: this.data.user?.username ?? 'guest' }, 'socket command failed');
        reply({ ok: false, error: body });
      }
    });
  }
  return function route(this: Socket, event: unknown, ...args: unknown[]) {
    const ack = args[args.length - 1];
    if (typeof ack !== 'function') return;
    const reply = ack as Reply;
    const listener = typeof event === 'string' ? listeners.get(event) : undefined;
    if (listener && args.length === 2) return void listener.call(this, args[0], reply);
    // Refused without running anything, but still within the connection's rate limit.
    void refuse(this, reply, listener ? 'Send one payload, then the acknowledgement callback' : 'Unknown event');
  };

  async function refuse(socket: Socket, reply: Reply, message: string): Promise<void> {
    const limited = admit ? await admit(socket, undefined) : null;
    reply(limited ? { ok: false, error: limited } : refusal(message));
  }
}
