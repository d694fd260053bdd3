import { connectDatabase } from '../../server/db/connect.js';
import { createModels } from '../../server/models/index.js';

/** Make a forum straight in a database a spawned server uses (tests that have no admin token there). */
export async function createForumDirect(uri: string, dbName: string, title = 'Spawned forum'): Promise<string> {
  const conn = await connectDatabase(uri, dbName);
  try {
    const { Forum } = createModels(conn);
    const forum = await Forum.create({ title, description: 'made by a test' });
    return String(forum._id);
  } finally {
    await conn.close();
  }
}
