// B2: B1 plus one insert per post with the native MongoDB driver (the very driver mongoose
// uses, `mongoose.mongo`), into the same kind of database as the forum. The floor for "store
// it, then fan it out".
import mongoose from 'mongoose';
import { startBenchDatabase } from './database.js';
import { runSocketIoBaseline } from './socketio-baseline.js';

const { db, dbPid } = await startBenchDatabase();
const client = new mongoose.mongo.MongoClient(db.uri, { maxPoolSize: 20 });
await client.connect();
const posts = client.db('bench_b2').collection('posts');
await posts.createIndex({ topicId: 1, seq: 1 });

runSocketIoBaseline({
  name: 'B2',
  store: (event) => posts.insertOne({ ...event.post, createdAt: new Date(event.post.createdAt) }),
  extra: { dbPid, engine: db.engine },
  async onStop() {
    await client.close().catch(() => {});
    await db.stop();
  },
});
