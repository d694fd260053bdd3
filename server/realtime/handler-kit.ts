import type { Logger } from 'pino';
import type { ZodType } from 'zod';
import type { Socket } from 'socket.io';
import type { Ack } from '../../shared/ack.js';
import { fromZod, toErrorBody } from '../errors.js';

type AnySocket = Socket;

/**
 * Register a command: parse the payload with its shared schema, run the service call,
 * answer with an Ack. A command sent without an ack callback is ignored (nothing to answer).
 */
export function command<P, R>(socket: AnySocket, logger: Logger, event: string, schema: ZodType<P>, run: (payload: P) => Promise<R>) {
  socket.on(event, async (payload: unknown, ack: unknown) => {
    if (typeof ack !== 'function') return;
    const reply = ack as (a: Ack<R>) => void;
    const parsed = schema.safeParse(payload);
    if (!parsed.success) return reply({ ok: false, error: fromZod(parsed.error).toBody() });
    try {
      reply({ ok: true, data: await run(parsed.data) });
    } catch (err) {
      const { body, unexpected } = toErrorBody(err);
      if (unexpected) logger.error({ err, event }, 'socket command failed');
      reply({ ok: false, error: body });
    }
  });
}
