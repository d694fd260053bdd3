// A lean client over `ws` for the load generator: one process has to receive every delivery
// for a thousand connections, so frames are not decoded on the hot path (the stamp is read
// straight from the bytes). Speaks either Socket.IO (Engine.IO v4 over WebSocket, the
// default namespace) or the raw-ws baseline's JSON messages.
import WebSocket from 'ws';

export type Wire = 'socketio' | 'raw';

type AckAnswer = { ok: boolean; data?: any; error?: { code: string; message: string } };

export interface LeanClient {
  /** Send a command and resolve with its ack (rejects after timeoutMs). */
  request(event: string, payload: unknown, timeoutMs?: number): Promise<AckAnswer>;
  /** Send a command; `onAck` gets the answer (no timers: for the posters' hot path). */
  send(event: string, payload: unknown, onAck?: (answer: AckAnswer) => void): void;
  /** Every server event frame, undecoded. */
  onEvent: ((frame: Buffer) => void) | null;
  /** Drop the connection without a closing handshake (a network failure). */
  drop(): void;
  close(): void;
  readonly open: boolean;
}

const OPEN_PACKET = 0x30; // '0'
const PING = 0x32; // '2'
const MESSAGE = 0x34; // '4'
const SIO_CONNECT = 0x30;
const SIO_EVENT = 0x32;
const SIO_ACK = 0x33;
const SIO_CONNECT_ERROR = 0x34;
const RAW_EVENT_PREFIX = Buffer.from('{"t":"post:');

/** Connect (and for Socket.IO, join the default namespace with `auth`). */
export function connectLean(baseUrl: string, wire: Wire, token?: string, timeoutMs = 15_000): Promise<LeanClient> {
  const wsUrl = baseUrl.replace(/^http/, 'ws') + (wire === 'socketio' ? '/socket.io/?EIO=4&transport=websocket' : '/');
  const ws = new WebSocket(wsUrl, { perMessageDeflate: false, skipUTF8Validation: true });
  let nextId = 0;
  const pending = new Map<number, (a: AckAnswer) => void>();

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('connect timeout'));
    }, timeoutMs);
    let ready = false;

    const client: LeanClient = {
      onEvent: null,
      get open() {
        return ws.readyState === WebSocket.OPEN;
      },
      send(event, payload, onAck) {
        const id = onAck ? nextId++ : -1;
        if (onAck) pending.set(id, onAck);
        if (wire === 'socketio') ws.send(`42${id >= 0 ? id : ''}${JSON.stringify([event, payload])}`);
        else ws.send(JSON.stringify(id >= 0 ? { t: event, id, d: payload } : { t: event, d: payload }));
      },
      request(event, payload, ms = 15_000) {
        return new Promise((res, rej) => {
          const t = setTimeout(() => rej(new Error(`no ack for ${event}`)), ms);
          client.send(event, payload, (a) => {
            clearTimeout(t);
            res(a);
          });
        });
      },
      drop: () => ws.terminate(),
      close: () => ws.close(),
    };

    const connected = () => {
      ready = true;
      clearTimeout(timer);
      resolve(client);
    };

    ws.on('open', () => {
      if (wire === 'raw') connected();
    });
    ws.on('error', (err) => {
      if (!ready) {
        clearTimeout(timer);
        reject(err);
      }
    });
    ws.on('close', () => {
      for (const cb of pending.values()) cb({ ok: false, error: { code: 'DISCONNECTED', message: 'closed' } });
      pending.clear();
    });
    ws.on('message', (data: Buffer) => {
      if (wire === 'raw') {
        if (data.indexOf(RAW_EVENT_PREFIX) === 0) return client.onEvent?.(data);
        const msg = JSON.parse(data.toString()) as { t: string; id?: number; d: AckAnswer };
        if (msg.t === 'ack' && typeof msg.id === 'number') takeAck(msg.id, msg.d);
        return;
      }
      const type = data[0];
      if (type === MESSAGE) {
        const sio = data[1];
        if (sio === SIO_EVENT) return client.onEvent?.(data);
        if (sio === SIO_ACK) {
          let i = 2;
          let id = 0;
          while (data[i] >= 48 && data[i] <= 57) id = id * 10 + (data[i++] - 48);
          const args = JSON.parse(data.subarray(i).toString()) as AckAnswer[];
          return takeAck(id, args[0]);
        }
        if (sio === SIO_CONNECT) return connected();
        if (sio === SIO_CONNECT_ERROR) {
          clearTimeout(timer);
          ws.terminate();
          return reject(new Error(`connect_error ${data.subarray(2).toString()}`));
        }
        return;
      }
      if (type === PING) return ws.send('3');
      if (type === OPEN_PACKET) ws.send(`40${token ? JSON.stringify({ token }) : ''}`);
    });

    function takeAck(id: number, answer: AckAnswer) {
      const cb = pending.get(id);
      pending.delete(id);
      cb?.(answer);
    }
  });
}

/** Open `n` connections, at most `concurrency` handshakes at a time. */
export async function connectMany<T>(n: number, concurrency: number, open: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await open(i);
      }
    }),
  );
  return out;
}
