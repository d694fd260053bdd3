import type { Socket } from 'socket.io';
import type { ForumServer } from './broadcaster.js';

/** Engine.IO's `message` packet type, the `4` that prefixes every Socket.IO packet on the wire. */
const ENGINE_MESSAGE = '4';
/** Socket.IO's EVENT packet type (protocol v5), in the default namespace, without an ack id. */
const SOCKET_IO_EVENT = '2';

interface Queued {
  rooms: string[];
  event: string;
  payload: unknown;
}

/** What this module needs of a socket's Engine.IO connection and transport (socket.io does not type them). */
interface TransportLike {
  name: string;
  writable: boolean;
  perMessageDeflate?: unknown;
  socket?: { readyState?: number; _sender?: { sendFrame?: (list: Buffer[], cb?: () => void) => void; _state?: number } };
}
interface EngineSocketLike {
  readyState: string;
  writeBuffer: unknown[];
  transport: TransportLike;
}
const WS_OPEN = 1;
/** Sockets written per turn of the event loop during a flush. */
const SLICE_SOCKETS = 250;

/**
 * Topic events leave in batches. Everything published during one turn of the event loop is
 * sent at the next `setImmediate`, and each socket gets the batch as ONE write holding one
 * WebSocket frame per event, in order, instead of one write (one `writev` syscall and one pass
 * through Engine.IO) per event. The frames are the ones `io.to(rooms).emit` would send, encoded
 * once per event per batch, so clients see exactly the same packets.
 *
 * An idle server adds no wait (one `setImmediate`), and neither does a steady trickle: a batch
 * waits only for the flush still writing before it. Once events come faster than one per half
 * of `minGapMs` (FANOUT_BATCH_MS) on average, batches leave at most once per `minGapMs`, so the
 * writes per socket per second stay bounded however fast posts come: at 1,000 watchers each
 * batch costs about 1,000 write syscalls, and that, not encoding, is what a broadcast costs.
 * (A gap that applied at every rate added up to a whole gap to each event at a rate near one
 * event per gap: at 50 posts/s and 20 ms, p50 24 ms instead of 14.) Sockets on long-polling (or
 * with compression on) get the same packets through Engine.IO one by one.
 *
 * Local delivery only (the in-memory adapter's rooms): with the Redis adapter each event must
 * also be published to the other nodes, so the broadcaster emits one by one there.
 */
export function createBatchedFanout(io: ForumServer, { minGapMs = 0, sliceSockets = SLICE_SOCKETS }: { minGapMs?: number; sliceSockets?: number } = {}) {
  const nsp = io.of('/');
  let queue: Queued[] = [];
  let scheduled: { cancel(): void } | null = null;
  let lastFlushAt = -Infinity;
  /** Mean time between events, exponentially weighted (ms), and when the last one came. */
  let meanInterval = Infinity;
  let lastEmitAt = -Infinity;
  /** A flush still writing (in slices): the next one waits for it, so each socket's order holds. */
  let writing = false;
  /** Told when the flush being written ends, and when the next one (of what is queued now) does. */
  let whenWritten: Array<() => void> = [];
  let whenNextWritten: Array<() => void> = [];

  /** At the next turn of the loop; under load, `minGapMs` after the last flush if that is later. */
  function schedule() {
    const busy = meanInterval < minGapMs / 2;
    const wait = busy ? lastFlushAt + minGapMs - performance.now() : 0;
    if (wait >= 1) {
      const timer = setTimeout(flush, wait);
      scheduled = { cancel: () => clearTimeout(timer) };
    } else {
      const immediate = setImmediate(flush);
      scheduled = { cancel: () => clearImmediate(immediate) };
    }
  }

  function flush() {
    scheduled = null;
    lastFlushAt = performance.now();
    const batch = queue;
    queue = [];
    whenWritten = whenNextWritten;
    whenNextWritten = [];
    // Consecutive events for the same rooms (one topic's stream) go out as one group; each
    // group's sockets are fixed now (a socket joining later gets the events by its replay).
    const groups: Array<{ write: (s: Socket) => void; sockets: Socket[] }> = [];
    let start = 0;
    for (let i = 1; i <= batch.length; i++) {
      if (i === batch.length || !sameRooms(batch[i].rooms, batch[start].rooms)) {
        const group = batch.slice(start, i);
        groups.push({ write: writerFor(group), sockets: socketsIn(group[0].rooms) });
        start = i;
      }
    }
    writing = true;
    writeSlices(groups, 0, 0);
  }

  /**
   * Write `sliceSockets` sockets' worth, then yield to the event loop before the next slice: a
   * thousand writes in one go would hold up everything else the server does (the database's
   * answers to the posts being written, above all) for several milliseconds per batch.
   */
  function writeSlices(groups: Array<{ write: (s: Socket) => void; sockets: Socket[] }>, g: number, from: number) {
    scheduled = null;
    let budget = sliceSockets;
    while (g < groups.length) {
      const { write, sockets } = groups[g];
      const to = Math.min(sockets.length, from + budget);
      for (let i = from; i < to; i++) write(sockets[i]);
      budget -= to - from;
      if (to < sockets.length) {
        const next = setImmediate(() => writeSlices(groups, g, to));
        scheduled = { cancel: () => clearImmediate(next) };
        return;
      }
      g++;
      from = 0;
    }
    writing = false;
    const told = whenWritten;
    whenWritten = [];
    for (const done of told) done();
    if (queue.length) schedule();
  }

  function writerFor(group: Queued[]): (s: Socket) => void {
    const encoded = group.map((q) => encodeEvent(q.event, q.payload));
    const frame = Buffer.concat(encoded.map((e) => e.frame));
    const combined = { wsPreEncodedFrame: [frame] };
    return (s) => {
      const conn = s.conn as unknown as EngineSocketLike;
      if (writeDirect(conn, frame)) return;
      const client = s.client as unknown as { writeToEngine(packets: string[], opts: object): void };
      if (takesPreEncodedFrames(conn.transport)) {
        // One Engine.IO packet whose pre-encoded frame holds all the batch's frames: the
        // transport writes it as is, in one write. `packets` is only read if the frame cannot
        // be used, which takesPreEncodedFrames has ruled out.
        client.writeToEngine([encoded[0].packet], combined);
      } else {
        for (const e of encoded) client.writeToEngine([e.packet], {});
      }
    };
  }

  /** Every local socket in any of the rooms, once. */
  function socketsIn(rooms: string[]): Socket[] {
    const ids = new Set<string>();
    for (const r of rooms) for (const id of nsp.adapter.rooms.get(r) ?? []) ids.add(id);
    const out: Socket[] = [];
    for (const id of ids) {
      const socket = nsp.sockets.get(id);
      if (socket) out.push(socket as unknown as Socket);
    }
    return out;
  }

  /** What socket.io-parser's Encoder writes for this event (JSON payloads; no binary attachments). */
  function encodeEvent(event: string, payload: unknown) {
    const packet = SOCKET_IO_EVENT + JSON.stringify([event, payload]);
    return { packet, frame: textFrame(Buffer.from(ENGINE_MESSAGE + packet)) };
  }

  return {
    /** Send `event` to every local socket in any of `rooms` (each socket once), after those queued before it. */
    emit(rooms: string[], event: string, payload: unknown) {
      const now = performance.now();
      if (lastEmitAt > -Infinity) {
        const interval = Math.min(now - lastEmitAt, 10 * minGapMs); // one quiet spell does not outweigh everything
        meanInterval = meanInterval === Infinity ? interval : 0.75 * meanInterval + 0.25 * interval;
      }
      lastEmitAt = now;
      queue.push({ rooms, event, payload });
      if (!scheduled && !writing) schedule();
    },
    /**
     * Resolves once every event emitted so far has been written to its sockets (at once when
     * nothing is queued or being written). Rooms left after it cannot miss those events: a
     * flush takes each group's sockets when it starts.
     */
    written(): Promise<void> {
      if (queue.length) return new Promise((resolve) => whenNextWritten.push(resolve));
      if (writing) return new Promise((resolve) => whenWritten.push(resolve));
      return Promise.resolve();
    },
    close() {
      scheduled?.cancel();
      scheduled = null;
      writing = false;
      queue = [];
      for (const done of [...whenWritten, ...whenNextWritten]) done();
      whenWritten = [];
      whenNextWritten = [];
    },
  };
}

/**
 * The common case, written straight to the WebSocket: an open connection with nothing queued in
 * Engine.IO and no write in progress, so these bytes follow everything sent before and precede
 * everything sent after (the socket's writes keep their order). This is what Engine.IO would do
 * with a pre-encoded frame, less its per-packet bookkeeping (packet objects, four events, a write
 * callback), which is most of a broadcast's cost per socket after the syscall itself.
 */
function writeDirect(conn: EngineSocketLike, frame: Buffer): boolean {
  const t = conn.transport;
  if (conn.readyState !== 'open' || !t.writable || conn.writeBuffer.length > 0 || !takesPreEncodedFrames(t)) return false;
  const ws = t.socket!;
  const sender = ws._sender!;
  if (ws.readyState !== WS_OPEN || (sender._state ?? 0) !== 0) return false; // 0: not compressing or reading a blob
  sender.sendFrame!([frame]);
  return true;
}

/** Whether Engine.IO's WebSocket transport will write a packet's pre-encoded frame as is. */
function takesPreEncodedFrames(t: TransportLike): boolean {
  return t.name === 'websocket' && !t.perMessageDeflate && typeof t.socket?._sender?.sendFrame === 'function';
}

/** An unmasked, final WebSocket text frame (RFC 6455 section 5.2), as a server sends it. */
export function textFrame(payload: Buffer): Buffer {
  const n = payload.length;
  const headerLength = n < 126 ? 2 : n < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + n);
  frame[0] = 0x81; // FIN + opcode 1 (text)
  if (n < 126) frame[1] = n;
  else if (n < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(n, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(n), 2);
  }
  payload.copy(frame, headerLength);
  return frame;
}

function sameRooms(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((r, i) => r === b[i]);
}

export type BatchedFanout = ReturnType<typeof createBatchedFanout>;
