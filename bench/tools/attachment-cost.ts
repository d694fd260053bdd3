// What an attachment costs to upload and to serve, against a baseline measured in the same run:
// `npx tsx bench/tools/attachment-cost.ts` (SIZES=10240,204800,1572864 bytes; R=40 of each).
// Ours is the real route (auth, rate limit, multer, type sniffing, quota, one insert; the file
// route's one read). The baseline is a bare express app on the same database connection: multer
// into the driver's insertOne, and findOne + send, with no checks at all. Sequential requests
// over loopback from this process, ours and the baseline taking turns; wall time per request, and
// node and FerretDB CPU per request.
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Types } from 'mongoose';
import multer from 'multer';
import { png } from '../../tests/helpers/files.js';
import { writePathRig } from './write-path-rig.js';

const SIZES = (process.env.SIZES ?? '10240,204800,1572864').split(',').map(Number);
const R = Number(process.env.R ?? 40);

// Room for every upload of the run, at any pace.
Object.assign(process.env, { ATTACHMENT_QUOTA_BYTES: String(2 ** 30), RATE_UPLOAD_POINTS: '1000000', RATE_REST_POINTS: '1000000' });
const { app, member, dbCpuMs, close } = await writePathRig();
const token = app.services.tokens.issue({ id: member.id, tokenVersion: 0 });
await app.services.models.User.updateOne({ _id: member.id }, { $set: { attachmentBytes: 0 } });
await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
const ours = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`;

// The baseline: no auth, no sniffing, no quota.
const files = app.services.models.Attachment.db.collection('baseline_files');
const bare = express();
bare.post('/upload', multer({ storage: multer.memoryStorage() }).single('file'), async (req, res) => {
  const { insertedId } = await files.insertOne({ data: req.file!.buffer, size: req.file!.size });
  res.status(201).json({ id: String(insertedId) });
});
bare.get('/files/:id', async (req, res) => {
  const row = await files.findOne({ _id: new Types.ObjectId(req.params.id) });
  res.type('image/png').send(Buffer.from(row!.data.buffer));
});
const bareServer = bare.listen(0, '127.0.0.1');
await new Promise((r) => bareServer.once('listening', r));
const baseline = `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}`;

const body = (bytes: Buffer) => {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), 'bench.png');
  return form;
};
const auth = { authorization: `Bearer ${token}` };

type Timing = { p50: number; p99: number; node: number; db: number };

/** Ours and the baseline taking turns, request by request, so that a slow stretch of the machine (or of FerretDB's checkpoints) falls on both. */
async function timedPair(ours: () => Promise<void>, base: () => Promise<void>): Promise<[Timing, Timing]> {
  await ours(); // warm
  await base();
  const runs = [ours, base];
  const lat: number[][] = [[], []];
  const node = [0, 0];
  const db = [0, 0];
  for (let i = 0; i < R; i++) {
    for (let k = 0; k < 2; k++) {
      const c0 = dbCpuMs();
      const p0 = process.cpuUsage();
      const t0 = performance.now();
      await runs[k]();
      lat[k].push(performance.now() - t0);
      const p = process.cpuUsage(p0);
      node[k] += (p.user + p.system) / 1000;
      db[k] += dbCpuMs() - c0;
    }
  }
  return [0, 1].map((k) => {
    const sorted = lat[k].sort((a, b) => a - b);
    return { p50: sorted[Math.floor(R * 0.5)], p99: sorted[Math.min(R - 1, Math.floor(R * 0.99))], node: node[k] / R, db: db[k] / R };
  }) as [Timing, Timing];
}

console.log(`${R} sequential requests each (ms: wall p50 and p99, node and database CPU per request)`);
console.log('| size | request | ours p50 | ours p99 | baseline p50 | baseline p99 | ours ÷ baseline (p50) | ours node CPU | baseline node CPU | ours db CPU | baseline db CPU |');
console.log('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const size of SIZES) {
  const bytes = Buffer.concat([png(), Buffer.alloc(size - png().length, 0x20)]);
  const ids: string[] = [];
  const bareIds: string[] = [];
  const [up, bareUp] = await timedPair(
    async () => {
      const res = await fetch(`${ours}/api/v1/attachments`, { method: 'POST', headers: auth, body: body(bytes) });
      if (res.status !== 201) throw new Error(`upload ${res.status} ${await res.text()}`);
      ids.push(((await res.json()) as { attachment: { id: string } }).attachment.id);
    },
    async () => {
      const res = await fetch(`${baseline}/upload`, { method: 'POST', body: body(bytes) });
      bareIds.push(((await res.json()) as { id: string }).id);
    },
  );
  let n = 0;
  let m = 0;
  const [down, bareDown] = await timedPair(
    async () => {
      const res = await fetch(`${ours}/attachments/${ids[n++ % ids.length]}`);
      if ((await res.arrayBuffer()).byteLength !== size) throw new Error('short read');
    },
    async () => {
      const res = await fetch(`${baseline}/files/${bareIds[m++ % bareIds.length]}`);
      if ((await res.arrayBuffer()).byteLength !== size) throw new Error('short read');
    },
  );
  const kib = `${Math.round(size / 1024)} KiB`;
  const row = (what: string, a: Timing, b: Timing) =>
    console.log(`| ${kib} | ${what} | ${a.p50.toFixed(1)} | ${a.p99.toFixed(1)} | ${b.p50.toFixed(1)} | ${b.p99.toFixed(1)} | ${(a.p50 / b.p50).toFixed(2)}× | ${a.node.toFixed(2)} | ${b.node.toFixed(2)} | ${a.db.toFixed(1)} | ${b.db.toFixed(1)} |`);
  row('upload', up, bareUp);
  row('download', down, bareDown);
  // Room in the quota for the next size.
  for (const id of ids) await app.services.attachments.remove({ id: member.id, username: member.username, role: 'member' }, id);
}
bareServer.close();
await close();
