// The database operations the app relies on, checked against whatever server the launcher
// started for this run (FerretDB on machines without mongod).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mongoose, { Schema, type Connection } from 'mongoose';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchDatabase } from '../server/db/launcher.js';

let conn: Connection;

beforeAll(async () => {
  conn = mongoose.createConnection(inject('mongoUri'), {
    dbName: `launcher_test_${randomUUID().slice(0, 8)}`,
    serverSelectionTimeoutMS: 10_000,
  });
  await conn.asPromise();
});

afterAll(async () => {
  await conn?.dropDatabase();
  await conn?.close();
});

describe('database launched for the test run', () => {
  it('inserts and finds documents', async () => {
    const Note = conn.model('Note', new Schema({ title: String, tags: [String] }));
    const created = await Note.create({ title: 'hello', tags: ['a', 'b'] });
    const found = await Note.findById(created._id).lean();
    expect(found).toMatchObject({ title: 'hello', tags: ['a', 'b'] });
  });

  it('rejects a duplicate on a unique index with code 11000', async () => {
    const Member = conn.model('Member', new Schema({ name: { type: String, unique: true } }));
    await Member.init();
    await Member.create({ name: 'alice' });
    await expect(Member.create({ name: 'alice' })).rejects.toMatchObject({ code: 11000 });
  });

  it('hands out consecutive numbers from $inc under 50 concurrent calls', async () => {
    const Counter = conn.model('Counter', new Schema({ _id: String, seq: Number }));
    await Counter.create({ _id: 'posts', seq: 0 });
    const values = await Promise.all(
      Array.from({ length: 50 }, () =>
        Counter.findOneAndUpdate({ _id: 'posts' }, { $inc: { seq: 1 } }, { new: true }).lean(),
      ),
    );
    const seqs = values.map((doc) => doc!.seq as number).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('keeps concurrent updates of one document: one upserted doc, no lost fields', async () => {
    const Stat = conn.model('Stat', new Schema({ key: String, a: Number, b: Number, c: Number }));
    // FerretDB v1 upstream loses these (read-modify-write without a lock); scripts/ferretdb.mjs patches it.
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        Stat.updateOne({ key: 'k' }, { $inc: { [['a', 'b', 'c'][i % 3]]: 1 } }, { upsert: true }),
      ),
    );
    expect(await Stat.find({ key: 'k' }).lean()).toMatchObject([{ a: 10, b: 10, c: 10 }]);
  });

  it('upserts with $setOnInsert only on the first write', async () => {
    const Visit = conn.model('Visit', new Schema({ key: String, firstSeen: Number, lastSeen: Number }));
    const first = await Visit.updateOne(
      { key: 'k' },
      { $setOnInsert: { firstSeen: 1 }, $set: { lastSeen: 1 } },
      { upsert: true },
    );
    const second = await Visit.updateOne(
      { key: 'k' },
      { $setOnInsert: { firstSeen: 2 }, $set: { lastSeen: 2 } },
      { upsert: true },
    );
    expect(first.upsertedCount).toBe(1);
    expect(second.upsertedCount).toBe(0);
    expect(second.matchedCount).toBe(1);
    expect(await Visit.find({ key: 'k' }).lean()).toMatchObject([{ firstSeen: 1, lastSeen: 2 }]);
  });

  it('builds a unique compound index and enforces it on the pair', async () => {
    const schema = new Schema({ topicId: Number, userId: Number });
    schema.index({ topicId: 1, userId: -1 }, { unique: true });
    const Thanks = conn.model('Thanks', schema);
    await Thanks.init();

    const indexes = await Thanks.collection.indexes();
    expect(indexes.map((ix) => ix.key)).toContainEqual({ topicId: 1, userId: -1 });

    await Thanks.create({ topicId: 1, userId: 1 });
    await Thanks.create({ topicId: 1, userId: 2 });
    await Thanks.create({ topicId: 2, userId: 1 });
    await expect(Thanks.create({ topicId: 1, userId: 1 })).rejects.toMatchObject({ code: 11000 });
  });

  it('counts, sorts, skips and limits', async () => {
    const Item = conn.model('Item', new Schema({ n: Number, even: Boolean }));
    await Item.insertMany(Array.from({ length: 25 }, (_, i) => ({ n: i, even: i % 2 === 0 })));

    expect(await Item.countDocuments({})).toBe(25);
    expect(await Item.countDocuments({ even: true })).toBe(13);

    const page = await Item.find({}).sort({ n: -1 }).skip(10).limit(5).lean();
    expect(page.map((d) => d.n)).toEqual([14, 13, 12, 11, 10]);
  });
});

describe('equality filters (FerretDB hands SQL a first cut of them, scripts/ferretdb.mjs patch 3)', () => {
  it('match as MongoDB matches: array elements, types, several keys, plain and other strings; with and without an index', async () => {
    const A = new mongoose.Types.ObjectId();
    for (const indexed of [false, true]) {
      const c = conn.collection(`eq_${indexed ? 'indexed' : 'plain'}`);
      if (indexed) await c.createIndex({ tag: 1, flag: 1 });
      await c.insertMany([
        { n: 1, tag: 'a' },
        { n: 2, tag: ['a', 'b'] },
        { n: 3, tag: ['b'] },
        { n: 4, tag: 'b' },
        { n: 5 },
        { n: 6, tag: null },
        { n: 7, tag: { x: 'a' } },
        { n: 8, tag: A },
        { n: 9, tag: A.toHexString() },
        { n: 10, flag: false },
        { n: 11, flag: true },
        { n: 12, flag: [false] },
        { n: 13, flag: 0 },
        { n: 14, tag: 'a<b "quoted" \\ é' },
        { n: 15, tag: '[a' },
        { n: 16, tag: 'ab', other: 'a' },
      ]);
      const ns = async (filter: Record<string, unknown>) => (await c.find(filter).sort({ n: 1 }).toArray()).map((d) => d.n);
      const where = indexed ? 'indexed' : 'plain';
      expect(await ns({ tag: 'a' }), where).toEqual([1, 2]);
      expect(await ns({ tag: 'b' }), where).toEqual([2, 3, 4]);
      expect(await ns({ tag: A }), where).toEqual([8]);
      expect(await ns({ tag: A.toHexString() }), where).toEqual([9]);
      expect(await ns({ flag: false }), where).toEqual([10, 12]);
      expect(await ns({ flag: true }), where).toEqual([11]);
      expect(await ns({ tag: 'a<b "quoted" \\ é' }), where).toEqual([14]);
      expect(await ns({ tag: '[a' }), where).toEqual([15]);
      expect(await ns({ tag: 'ab', other: 'a' }), where).toEqual([16]);
      expect(await ns({ tag: 'a', other: 'a' }), where).toEqual([]);
      expect(await ns({ tag: 'b', n: { $gt: 2 } }), where).toEqual([3, 4]);
      expect(await ns({ tag: { $in: ['a', A] } }), where).toEqual([1, 2, 8]);
      expect(await ns({ tag: { $in: [A.toHexString(), '[a'] } }), where).toEqual([9, 15]);
      expect(await ns({ tag: { $in: ['b', null] } }), where).toEqual([2, 3, 4, 5, 6, 10, 11, 12, 13]); // null: missing too
      expect(await ns({ flag: { $in: [false] } }), where).toEqual([10, 12]);
      const ids = (await c.find({ n: { $in: [1, 4] } }).toArray()).map((d) => d._id);
      expect(await ns({ _id: { $in: ids } }), where).toEqual([1, 4]);
      expect(await ns({ _id: { $in: ids }, tag: 'b' }), where).toEqual([4]);
      // Field names SQLite would otherwise read as the table's own columns.
      await c.insertMany([{ n: 20, rowid: 'x', oid: 'x', ROWID: 'y', _rowid_: 'x', _FERRETDB_SJSON: 'z', _ferretdb_record_id: 'w' }]);
      for (const filter of [{ rowid: 'x' }, { oid: 'x' }, { ROWID: 'y' }, { _rowid_: 'x' }, { _FERRETDB_SJSON: 'z' }, { _ferretdb_record_id: 'w' }]) {
        expect(await ns(filter), `${where} ${JSON.stringify(filter)}`).toEqual([20]);
      }
      // Regexes that are plain words (SQL keeps the rows whose JSON text holds the word), and
      // $and / $or around them and around equalities.
      await c.insertMany([
        { n: 30, body: 'The Axolotl regrows', subject: 'zz' },
        { n: 31, body: 'an axolotls tale', subject: 'zz' },
        { n: 32, body: 'AXO LOTL', subject: 'axolotl in the subject' },
        { n: 33, body: ['x', 'pet axolotl'], subject: 'zz' },
        { n: 34, body: 42, subject: 'zz' },
        { n: 35, body: 'line one\naxolotl line two "quoted" <b>', subject: 'zz' },
        { n: 36, body: 'ab', subject: 'zz' },
      ]);
      const rx = (q: Record<string, unknown>) => ns({ n: { $gte: 30, $lt: 40 }, ...q });
      expect(await rx({ body: { $regex: 'axolotl', $options: 'i' } }), where).toEqual([30, 31, 33, 35]);
      expect(await rx({ body: { $regex: 'axolotl' } }), where).toEqual([31, 33, 35]); // case-sensitive: not "Axolotl"
      expect(await rx({ body: /Axolotl/ }), where).toEqual([30]);
      expect(await rx({ body: { $regex: 'axo lotl', $options: 'i' } }), where).toEqual([32]);
      expect(await rx({ body: { $regex: 'a.b|^ab$', $options: 'i' } }), where).toEqual([36]);
      expect(await rx({ $or: [{ subject: { $regex: 'axolotl', $options: 'i' } }, { body: { $regex: 'axolotl', $options: 'i' } }] }), where).toEqual([30, 31, 32, 33, 35]);
      expect(await rx({ $and: [{ $or: [{ subject: /regrows/i }, { body: /regrows/i }] }, { $or: [{ subject: /the/i }, { body: /the/i }] }] }), where).toEqual([30]);
      // An $or one of whose branches SQL cannot narrow keeps every row that branch matches.
      expect(await rx({ $or: [{ body: /axolotls/ }, { n: { $gt: 34 } }] }), where).toEqual([31, 35, 36]);
      expect(await rx({ $or: [{ body: /axolotls/ }, { subject: { $in: ['axolotl in the subject', 'a<b'] } }] }), where).toEqual([31, 32]); // 'a<b' is not plain: that branch is Go's
      // Long $in lists on many fields: more than SQLite takes as parameters at once.
      const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}`, { $in: [...Array.from({ length: 999 }, (_, j) => `v${j}`), 'hit'] }]));
      await c.insertOne({ n: 21, ...Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}`, 'hit'])) });
      expect(await ns(many), where).toEqual([21]);
      expect(await c.countDocuments({ tag: 'b' }), where).toBe(3);
      expect((await c.find({ tag: 'b' }).sort({ n: -1 }).skip(1).limit(1).toArray()).map((d) => d.n), where).toEqual([3]);
      expect((await c.updateMany({ tag: 'b' }, { $set: { seen: true } })).modifiedCount, where).toBe(3);
      expect(await ns({ seen: true, tag: 'a' }), where).toEqual([2]);
      expect((await c.deleteMany({ tag: 'a' })).deletedCount, where).toBe(2);
      expect(await ns({ tag: 'b' }), where).toEqual([3, 4]);
    }
  });
});

describe('launchDatabase', () => {
  const logger = pino({ level: 'silent' });

  it('starts a server of its own that stop() shuts down, twice without error', async () => {
    const db = await launchDatabase({ logger });
    expect(db.uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/$/);
    expect(['mongod', 'ferretdb']).toContain(db.engine);
    const c = await mongoose.createConnection(db.uri, { dbName: 'own' }).asPromise();
    await c.db!.collection('x').insertOne({ ok: 1 });
    await c.close();
    await db.stop();
    await db.stop();
    const port = Number(new URL(db.uri).port);
    await expect(canConnect(port)).resolves.toBe(false);
  });

  it('runs FerretDB with GOGC=400 and half the cores, FERRETDB_GOGC and FERRETDB_GOMAXPROCS overriding them', async (ctx) => {
    const half = String(Math.max(1, Math.floor(os.availableParallelism() / 2)));
    const cases = [
      { set: {}, expected: ['GOGC=400', `GOMAXPROCS=${half}`] },
      { set: { FERRETDB_GOGC: '250', FERRETDB_GOMAXPROCS: '3' }, expected: ['GOGC=250', 'GOMAXPROCS=3'] },
    ];
    for (const { set, expected } of cases) {
      let pid: number | undefined;
      const capture = pino({ level: 'info' }, { write: (line: string) => void (pid ??= JSON.parse(line).ferretdbPid) });
      const before = { FERRETDB_GOGC: process.env.FERRETDB_GOGC, FERRETDB_GOMAXPROCS: process.env.FERRETDB_GOMAXPROCS };
      setEnv({ FERRETDB_GOGC: undefined, FERRETDB_GOMAXPROCS: undefined, ...set });
      const db = await launchDatabase({ logger: capture }).finally(() => setEnv(before));
      try {
        if (db.engine !== 'ferretdb') ctx.skip();
        const environ = (await fs.readFile(`/proc/${pid}/environ`, 'utf8')).split('\0');
        expect(environ).toEqual(expect.arrayContaining(expected));
      } finally {
        await db.stop();
      }
    }
  });

  it('keeps data in dataDir across restarts', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'launcher-test-'));
    try {
      const first = await launchDatabase({ logger, dataDir });
      const c1 = await mongoose.createConnection(first.uri, { dbName: 'kept' }).asPromise();
      await c1.db!.collection('notes').insertOne({ title: 'survives' });
      await c1.close();
      await first.stop();

      const second = await launchDatabase({ logger, dataDir });
      const c2 = await mongoose.createConnection(second.uri, { dbName: 'kept' }).asPromise();
      expect(await c2.db!.collection('notes').findOne({}, { projection: { _id: 0 } })).toEqual({ title: 'survives' });
      await c2.close();
      await second.stop();
    } finally {
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });

  it('uses a given URI as is, quickly, and starts nothing', async () => {
    const started = Date.now();
    const db = await launchDatabase({ logger, mongodbUri: 'mongodb://user:pw@db.invalid:27017/' });
    expect(Date.now() - started).toBeLessThan(200);
    expect(db).toMatchObject({ engine: 'external', uri: 'mongodb://user:pw@db.invalid:27017/' });
    await db.stop();
    await db.stop();
  });
});

function setEnv(values: Record<string, string | undefined>) {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
