import type { Services } from '../services/index.js';
import type { AuthUser } from '../services/token.service.js';
import type { Role } from '../../shared/schemas.js';
import { renderSignature } from '../render/body-renderer.js';
import { attachmentMarkup } from '../../shared/attachment-markup.js';
import { png } from './png.js';

export const DEMO_LOGINS: ReadonlyArray<{ role: Role; username: string; password: string }> = [
  { role: 'admin', username: 'admin', password: 'admin-demo-pass' },
  { role: 'moderator', username: 'moderator', password: 'moderator-demo-pass' },
  { role: 'member', username: 'alice', password: 'alice-demo-pass' },
];

const MEMBERS = [
  { username: 'alice', password: 'alice-demo-pass', groups: ['Donator'], location: 'Lisbon, Portugal', fields: [{ key: 'Nationality', value: 'Portuguese' }], signature: 'Keep calm and [b]post on[/b].' },
  { username: 'bob', password: 'bob-demo-pass', groups: [], location: 'Leeds, UK', fields: [{ key: 'Nationality', value: 'British' }], signature: '' },
  { username: 'carol', password: 'carol-demo-pass', groups: ['Donator'], location: 'Montréal', fields: [{ key: 'Favourite board', value: 'Off-topic' }], signature: '_Sent from my typewriter_' },
  { username: 'dave', password: 'dave-demo-pass', groups: [], location: '', fields: [], signature: '' },
];

/** In board order, under phpBB-style categories. */
const FORUMS = [
  { title: 'Announcements', description: 'News about the board. Read the rules before you post.', category: 'The board' },
  { title: 'General Discussion', description: 'Talk about anything that does not fit elsewhere.', category: 'Community' },
  { title: 'Help & Support', description: 'Questions about using the board, answered by the community.', category: 'The board' },
  { title: 'Off-topic', description: 'Games, music, pets and the rest of life.', category: 'Community' },
];
/** Board-index places: Announcements and Help & Support under "The board" first, then "Community". */
const ORDER = [0, 2, 1, 3];

const LINES = [
  'Mine is a plain desk, one screen and a [b]very[/b] loud keyboard.',
  'Two monitors here. Once you go dual you never go back.',
  '> Two monitors here\n\nThree, actually. The third one is for the forum.',
  'Standing desk user reporting in. My knees disagree with my choices.',
  'Does a laptop on the sofa count? Asking for a friend.',
  '[quote="bob"]Two monitors here.[/quote]\nSame, but one is vertical for reading long threads like this one.',
  'Cable management is a myth told to scare new members.',
  'Finally bought a good chair. Best money I ever spent, see [url=https://example.org/chairs]this guide[/url].',
];

/** Seed a board shaped like a real phpBB community, only into an empty database (unless told never). */
export async function seedDemoBoard(services: Services, mode: 'auto' | 'always' | 'never'): Promise<boolean> {
  if (mode === 'never') return false;
  const { models } = services;
  if (mode === 'auto' && ((await models.Forum.estimatedDocumentCount()) > 0 || (await models.User.estimatedDocumentCount()) > 0)) return false;

  // The seed posts in a burst, as the server itself: no flood interval, and no approval queue
  // (APPROVE_POSTS_UNDER would otherwise hold its new members' posts).
  const seeding = { skipFloodCheck: true, approved: true };
  const as = (u: { _id: unknown; username: string; role: string }): AuthUser => ({ id: String(u._id), username: u.username, role: u.role as Role });
  const admin = await services.auth.createUser({ username: 'admin', password: 'admin-demo-pass', role: 'admin' });
  await models.User.updateOne({ _id: admin._id }, { $set: { specialRank: 'Site Admin', location: 'The server room' } });
  const moderator = await services.auth.createUser({ username: 'moderator', password: 'moderator-demo-pass', role: 'moderator', groups: ['Global moderators'] });
  await models.User.updateOne({ _id: moderator._id }, { $set: { specialRank: 'Moderator' } });
  const members = [];
  for (const m of MEMBERS) {
    const u = await services.auth.createUser({ username: m.username, password: m.password, groups: m.groups });
    await models.User.updateOne(
      { _id: u._id },
      { $set: { location: m.location || undefined, fields: m.fields, signature: m.signature || undefined, signatureHtml: m.signature ? renderSignature(m.signature) : undefined } },
    );
    members.push(as(u));
  }
  const forums = [];
  for (const [i, f] of FORUMS.entries()) forums.push(await services.forums.create(as(admin), { ...f, order: ORDER[i] }));
  const [announcements, general, help, offTopic] = forums;
  // As on most phpBB boards: staff start announcements, everyone may reply.
  await services.forums.update(as(admin), announcements.id, { permissions: { post: ['moderator', 'admin'] } });

  const welcome = await services.posts.createTopic(as(admin), announcements.id, {
    title: 'Welcome to the board: read this first',
    body: 'Welcome! Everything here updates **live**: new posts, edits, thanks and who is online.\n\nBe kind, stay on topic, and use the thanks button generously.',
  }, seeding);
  await services.moderation.pin(as(admin), welcome.topic.id);
  await services.posts.createTopic(as(moderator), help.id, {
    title: 'How do I change my signature?',
    body: 'Open the User Control Panel (top right, once logged in) and edit the signature field. [i]BBCode[/i] and *Markdown* both work.',
    tags: ['profile', 'how-to'],
  }, seeding);
  // A subforum (phpBB's), listed on Help & Support's row and page.
  const bugs = await services.forums.create(as(admin), { title: 'Bug reports', description: 'Something broken? Tell us what you did and what happened.', parentId: help.id, order: 0 });
  await services.posts.createTopic(members[2], bugs.id, { title: 'Preview button does nothing on my phone', body: 'Tapping Preview under the reply box shows nothing. Phone browser, latest version.', tags: ['mobile'] }, seeding);
  await services.posts.createTopic(members[3], offTopic.id, { title: 'What are you listening to?', body: 'Old jazz records today.' }, seeding);
  // A poll with a few votes, so a demo login can vote and watch the bars move.
  const poll = await services.posts.createTopic(members[1], offTopic.id, {
    title: 'Tabs or spaces?',
    body: 'Settle it once and for all. You may change your vote.',
    tags: ['code', 'poll'],
    poll: { question: 'How do you indent?', options: ['Tabs', 'Spaces', 'Whatever the formatter says'], maxChoices: 1, allowVoteChange: true, results: 'always' },
  }, seeding);
  for (const [i, voter] of members.slice(1).entries()) await services.polls.vote(voter, poll.topic.id, [i % 3]);

  const { topic } = await services.posts.createTopic(members[0], general.id, {
    title: 'Show us your battle station',
    body: 'Post a description of your desk setup. Photos welcome, [b]cable mess[/b] forgiven.',
    tags: ['hardware'],
  }, seeding);
  // An attached picture, so the demo shows uploads in a post.
  const { attachment } = await services.attachments.upload(members[2], { buffer: deskPicture(), originalname: 'my-desk.png' });
  await services.posts.reply(members[2], topic.id, { body: `Mine, freshly tidied:\n\n${attachmentMarkup(attachment)}` }, seeding);
  const posters = [...members, as(moderator)];
  for (let i = 0; i < 44; i++) {
    await services.posts.reply(posters[i % posters.length], topic.id, { body: `${LINES[i % LINES.length]}\n\n(reply ${i + 1})` }, seeding);
  }
  // A private message, so a demo login has one waiting.
  await services.conversations.start(as(moderator), { to: ['alice'], title: 'Welcome aboard', body: 'Hi alice! Shout here if you need anything: this conversation is private to the two of us.' });
  return true;
}

/** A small drawing of a desk with a monitor (160 × 90), made here rather than shipped as a file. */
function deskPicture(): Buffer {
  return png(160, 90, (x, y) => {
    if (x >= 53 && x < 107 && y >= 18 && y < 52) return y % 6 < 2 ? [120, 170, 230] : [70, 130, 200]; // the screen
    if (x >= 50 && x < 110 && y >= 15 && y < 55) return [30, 30, 35]; // the monitor
    if (x >= 76 && x < 84 && y >= 55 && y < 66) return [40, 40, 45]; // its stand
    if (y >= 66) return [110, 80, 50]; // the desk
    return [60 + Math.round(y / 3), 70 + Math.round(y / 3), 90 + Math.round(y / 3)]; // the wall
  });
}
