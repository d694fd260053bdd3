import type { Forum, PostRef } from '../../../sdk/index.js';

/**
 * A forum as phpBB lists it, with its subforums: the counts are its own plus all its
 * descendants', "last post" the newest among them, unread if any of them is (undefined where the
 * listing has no unread marks: guests). `subforums` are its direct subforums, in board order,
 * each summed the same way.
 */
export interface ForumNode {
  forum: Forum;
  topicCount: number;
  postCount: number;
  lastPost: PostRef | null;
  unread?: boolean;
  subforums: ForumNode[];
}

export interface ForumTree {
  /** The forums that stand on their own (the board index's rows), in board order. */
  top: ForumNode[];
  /** A listed forum's node (its direct subforums under `subforums`); undefined if not listed. */
  node(forumId: string): ForumNode | undefined;
  /** A listed forum and the forums it sits in, outermost first (the breadcrumb trail); empty if not listed. */
  trail(forumId: string): Forum[];
}

/**
 * The board's forum tree from `GET /forums`' flat list (in board order). A forum whose parent is
 * not listed (the reader may not read it) stands on its own, and so does any forum in a loop of
 * `parentId`s. Pure: computed again at each render, so the sums follow the live patches made to
 * the flat list.
 */
export function forumTree(forums: Forum[]): ForumTree {
  const byId = new Map(forums.map((f) => [f.id, f]));
  const parentOf = new Map<string, string>();
  for (const f of forums) {
    const parent = f.parentId;
    if (parent !== undefined && byId.has(parent) && !inLoop(f.id, byId)) parentOf.set(f.id, parent);
  }
  // Direct subforums, in board order (the list's).
  const childrenOf = new Map<string, Forum[]>();
  for (const f of forums) {
    const parent = parentOf.get(f.id);
    if (parent === undefined) continue;
    const siblings = childrenOf.get(parent);
    if (siblings) siblings.push(f);
    else childrenOf.set(parent, [f]);
  }
  // With loops cut the parents form a forest, so this ends; each node is built once.
  const nodes = new Map<string, ForumNode>();
  function nodeOf(f: Forum): ForumNode {
    const made = nodes.get(f.id);
    if (made) return made;
    const subforums = (childrenOf.get(f.id) ?? []).map(nodeOf);
    const node: ForumNode = { forum: f, topicCount: f.topicCount, postCount: f.postCount, lastPost: f.lastPost, subforums };
    if (f.unread !== undefined) node.unread = f.unread;
    for (const sub of subforums) {
      node.topicCount += sub.topicCount;
      node.postCount += sub.postCount;
      if (newer(sub.lastPost, node.lastPost)) node.lastPost = sub.lastPost;
      if (sub.unread !== undefined) node.unread = node.unread === true || sub.unread;
    }
    nodes.set(f.id, node);
    return node;
  }
  const top = forums.filter((f) => !parentOf.has(f.id)).map(nodeOf);
  return {
    top,
    node: (forumId) => {
      const f = byId.get(forumId);
      return f ? nodeOf(f) : undefined;
    },
    trail: (forumId) => {
      const trail: Forum[] = [];
      for (let at = byId.get(forumId); at; at = byId.get(parentOf.get(at.id) ?? '')) trail.unshift(at);
      return trail;
    },
  };
}

/** Whether following `parentId`s up from the forum comes back to it (only through listed forums). */
function inLoop(forumId: string, byId: Map<string, Forum>): boolean {
  let at = byId.get(forumId)?.parentId;
  for (let steps = 0; at !== undefined && steps < byId.size; steps++) {
    if (at === forumId) return true;
    at = byId.get(at)?.parentId;
  }
  return false;
}

/** Whether `a` was posted after `b` (any post is newer than none). */
function newer(a: PostRef | null, b: PostRef | null): boolean {
  if (!a) return false;
  if (!b) return true;
  return Date.parse(a.createdAt) > Date.parse(b.createdAt);
}

/** Every forum below a node (its subforums, theirs, …), in board order within each level. */
export function descendants(node: ForumNode): Forum[] {
  return node.subforums.flatMap((sub) => [sub.forum, ...descendants(sub)]);
}

/**
 * Every forum of the list in tree order (each followed by its subforums, theirs, …) with its
 * depth (0 for the board index's own), for lists that name forums: "Move to", as phpBB indents them.
 */
export function forumsInTreeOrder(forums: Forum[]): Array<{ forum: Forum; depth: number }> {
  const walk = (node: ForumNode, depth: number): Array<{ forum: Forum; depth: number }> => [{ forum: node.forum, depth }, ...node.subforums.flatMap((sub) => walk(sub, depth + 1))];
  return forumTree(forums).top.flatMap((node) => walk(node, 0));
}
