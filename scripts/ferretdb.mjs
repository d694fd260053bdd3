// Builds (once) and locates the FerretDB binary that the embedded database launcher runs
// when no MONGODB_URI and no local mongod are available.
//
// Plain Node ESM with no dependencies, so it can run before `npm ci` has finished
// and before anything is compiled. Usage:
//   import { ensureFerretdb } from './ferretdb.mjs';
//   const bin = await ensureFerretdb({ log: (line) => console.error(line) });
//
// FerretDB v1 is the last line that ships the SQLite backend, which needs no other
// server. There is no prebuilt binary we can fetch offline, but the Go module proxy is
// reachable, so we build from the module source, with small patches (see PATCHES below).
import { spawn } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const FERRETDB_VERSION = 'v1.24.2';
/** Bump when PATCHES change, so binaries built with older patches are not reused. */
export const FERRETDB_PATCH_LEVEL = 'p5';
const MODULE = 'github.com/FerretDB/FerretDB';
const LOCK_STALE_MS = 15 * 60_000;

/** Where the built binary lives: outside the repository, shared by every clone. */
export function ferretdbCachePath() {
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cacheHome, 'realtime-forum', `ferretdb-${FERRETDB_VERSION}-${FERRETDB_PATCH_LEVEL}`, 'ferretdb');
}

const defaultLog = (line) => process.stderr.write(`${line}\n`);

/**
 * Returns the path of a runnable FerretDB binary, building it into the cache on first use.
 * `FERRETDB_BIN` overrides the path (it must already exist).
 * @param {{ log?: (line: string) => void }} [opts]
 * @returns {Promise<string>}
 */
export async function ensureFerretdb({ log = defaultLog } = {}) {
  const override = process.env.FERRETDB_BIN;
  if (override) {
    if (!(await isExecutable(override))) {
      throw new Error(`FERRETDB_BIN=${override} is not an executable file`);
    }
    return override;
  }

  const bin = ferretdbCachePath();
  // Only binaries that passed `--version` are renamed into place, so existence is enough.
  if (await isExecutable(bin)) return bin;

  const cacheDir = path.dirname(bin);
  await fs.mkdir(cacheDir, { recursive: true });
  const release = await acquireLock(path.join(cacheDir, 'build.lock'), log);
  try {
    // Another process may have finished the build while we waited for the lock.
    if (await isExecutable(bin)) return bin;
    await build(bin, log);
    return bin;
  } finally {
    await release();
  }
}

async function build(bin, log) {
  const go = await findGo();
  const started = Date.now();
  const stage = (msg) => log(`[ferretdb] ${msg} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
  stage(`building FerretDB ${FERRETDB_VERSION} into ${bin} (first run only; ~70 s cold, ~5 s with a warm Go cache)`);

  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'ferretdb-build-'));
  const heartbeat = setInterval(() => stage('still working'), 10_000);
  heartbeat.unref();
  const tmpBin = `${bin}.tmp-${process.pid}`;
  // A go.work of the developer's would otherwise pull this build into their workspace.
  const env = { ...process.env, GOWORK: 'off' };
  try {
    stage(`go mod download ${MODULE}@${FERRETDB_VERSION}`);
    const out = await run(go, ['mod', 'download', '-json', `${MODULE}@${FERRETDB_VERSION}`], {
      cwd: work, // outside any module, so the download does not touch a go.mod
      env,
      capture: true,
      log,
    });
    const info = JSON.parse(out);
    if (info.Error || !info.Dir) {
      throw new Error(`go mod download failed: ${info.Error ?? 'no Dir in output'}`);
    }

    // The module cache is read-only and lacks the generated version file, so build from a copy.
    stage('copying module source');
    const src = path.join(work, 'src');
    await fs.cp(info.Dir, src, { recursive: true });
    await makeDirsWritable(src);
    // Without version.txt the binary panics at start with "Invalid build/version/version.txt".
    await fs.writeFile(path.join(src, 'build', 'version', 'version.txt'), `${FERRETDB_VERSION}\n`);
    await fs.writeFile(path.join(src, 'build', 'version', 'package.txt'), `realtime-forum-${FERRETDB_PATCH_LEVEL}\n`);
    stage('applying patches (atomic updates, indexed _id lookups, filter pushdown, queued writers, no leak tracking)');
    await applyPatches(src);

    stage('go build ./cmd/ferretdb (dependencies are fetched from the Go module proxy)');
    await run(go, ['build', '-trimpath', '-o', tmpBin, './cmd/ferretdb'], {
      cwd: src,
      // SQLite backend is pure Go (modernc.org/sqlite): no C compiler needed.
      env: { ...env, CGO_ENABLED: '0' },
      log,
    });

    const version = await run(tmpBin, ['--version'], { cwd: work, capture: true, log });
    if (!version.includes(`version: ${FERRETDB_VERSION}`) || !version.includes(`package: realtime-forum-${FERRETDB_PATCH_LEVEL}`)) {
      throw new Error(`built FerretDB reports an unexpected version:\n${version}`);
    }
    await fs.rename(tmpBin, bin); // atomic within the cache dir
    stage('done');
  } finally {
    clearInterval(heartbeat);
    await fs.rm(tmpBin, { force: true });
    await fs.rm(work, { recursive: true, force: true });
  }
}

/**
 * Upstream problems that the forum runs into, fixed in the copied source:
 *
 * 1. Lost updates. FerretDB v1 runs `update` and `findAndModify` as "query, apply the operators
 *    in Go, write the whole document back" with no transaction or lock spanning the read and the
 *    write. 50 concurrent `$inc` on one document ended at 10 in our test; a filtered
 *    compare-and-set is no safer; concurrent upserts insert twice; updates of different fields
 *    of one document overwrite each other. We serialize those two commands per collection.
 * 2. `_id` lookups scan the table. The SQLite backend indexes `_ferretdb_sjson->"_id"` but
 *    queries `_ferretdb_sjson->'$._id'`, an expression SQLite cannot match to the index, so every
 *    update (written back by `_id`) cost ~28 ms on a 10k-document collection. Spelling the query
 *    like the index makes it ~1 ms. Same JSON value, same stored format: existing data is fine.
 * 3. Every other filter is applied in Go, after decoding every document of the collection. The
 *    SQLite backend hands SQL nothing but a lone `_id`, so a topic page (`{topicId, deleted}`)
 *    decoded every post of the board: 264 ms of FerretDB CPU at 5,000 posts, growing with the
 *    board (bench/tools/read-cost.ts). The backend contract lets a filter be "applied partially";
 *    the handler filters again in Go. So each top-level equality (or `$in`) on ObjectIds, bools or
 *    plain strings also goes to SQL as `doc->"f" IN (<their stored JSON>)`, or "f holds an array"
 *    (Mongo's equality also matches an array element; those rows are left to the Go filter),
 *    spelled as FerretDB spells its indexes, so an index on f is used. SQLite then skips the
 *    other rows before FerretDB decodes them. Rows SQL keeps are a superset of the matches (same
 *    JSON text for the same value; ObjectId and string share it, Go tells them apart), so
 *    results are unchanged. A regex that is a plain word (ASCII letters, digits, spaces) goes as
 *    `doc->"f" LIKE '%word%'` (the word is in the JSON text wherever it is in the string), and
 *    `$and` / `$or` of such filters too; an `$or` with a branch SQL cannot narrow is left whole.
 *    Field names SQLite would read as columns (`rowid`, `oid`, `_ferretdb_*`) are skipped.
 * 4. Writers wait in SQLite's busy handler. The pool holds up to 100 connections to the one
 *    SQLite file and SQLite takes one writer at a time; a post's concurrent writes (its topic's
 *    and forum's claims, its row and its author's count) collided there, and the loser sleeps
 *    1, 2, 5, 10 ms... before trying again. Write transactions (and plain `Exec`s) on one database
 *    now queue on a Go mutex, handed over the moment it is free. In the write-path rig
 *    (bench/tools/command-latency.ts) a claim's findAndModify went from p50 ~1.6 to ~1.4 ms.
 * 5. Leak tracking in release builds: every iterator and transaction was registered in a pprof
 *    profile, which records a stack trace each time: 8 % of FerretDB's CPU under the bench's
 *    posts (its own CPU profile, bench/profile.md). Track and Untrack do nothing now.
 */
const PUSHDOWN_GO = `// Added by realtime-forum scripts/ferretdb.mjs: see the comment above PATCHES there.

package sqlite

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
	"github.com/FerretDB/FerretDB/internal/handler/sjson"
	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/must"
)

// forumPlainKey is a top-level field name that needs no quoting in a JSON path.
var forumPlainKey = regexp.MustCompile(\`^[A-Za-z_][A-Za-z0-9_]*$\`)

// forumPlainString is a string whose JSON text has no escapes (so SQLite and Go spell it alike).
var forumPlainString = regexp.MustCompile(\`^[A-Za-z0-9 _.:@+-]*$\`)

// forumMaxIn is the most $in values handed to SQL for one field, forumMaxArgs for a whole
// filter (SQLite refuses statements with too many parameters); more are left to the handler.
const (
	forumMaxIn   = 1000
	forumMaxArgs = 2000
)

// forumColumnName says whether SQLite would read "k" as a column of the table rather than as
// a JSON key: its row id aliases, and FerretDB's own columns (names are case-insensitive).
func forumColumnName(k string) bool {
	lower := strings.ToLower(k)

	return lower == "rowid" || lower == "oid" || lower == "_rowid_" || strings.HasPrefix(lower, "_ferretdb")
}

// forumStoredJSON returns the JSON text FerretDB stores for v, if v is an ObjectId, a bool or a
// plain string (values whose stored text is the same whichever way they are written).
func forumStoredJSON(v any) (string, bool) {
	switch v := v.(type) {
	case types.ObjectID, bool:
	case string:
		if !forumPlainString.MatchString(v) {
			return "", false
		}
	default:
		return "", false
	}

	return string(must.NotFail(sjson.MarshalSingleValue(v))), true
}

// forumEqualsAny returns the values of {k: v} or {k: {$in: [v...]}} as stored JSON texts, or false.
func forumEqualsAny(v any) ([]any, bool) {
	if doc, ok := v.(*types.Document); ok {
		if doc.Len() != 1 {
			return nil, false
		}

		in, err := doc.Get("$in")
		if err != nil {
			return nil, false
		}

		arr, ok := in.(*types.Array)
		if !ok || arr.Len() == 0 || arr.Len() > forumMaxIn {
			return nil, false
		}

		texts := make([]any, 0, arr.Len())

		for i := 0; i < arr.Len(); i++ {
			text, ok := forumStoredJSON(must.NotFail(arr.Get(i)))
			if !ok {
				return nil, false
			}

			texts = append(texts, text)
		}

		return texts, true
	}

	text, ok := forumStoredJSON(v)
	if !ok {
		return nil, false
	}

	return []any{text}, true
}

// forumPlainWord is a regex pattern that is a literal word or phrase: ASCII letters, digits and
// spaces, which a regex and SQLite's LIKE both read literally (LIKE ignores ASCII case).
var forumPlainWord = regexp.MustCompile(\`^[A-Za-z0-9 ]+$\`)

// forumMaxDepth is how deep forumConds follows $and and $or.
const forumMaxDepth = 4

// forumPushdown returns a WHERE clause keeping a superset of the documents that match filter.
// The handler applies the whole filter again.
func forumPushdown(filter *types.Document) (string, []any) {
	conds, args := forumConds(filter, 0)
	if len(conds) == 0 || len(args) > forumMaxArgs {
		return "", nil
	}

	return " WHERE " + strings.Join(conds, " AND "), args
}

// forumConds returns SQL conditions, all to hold, that every document matching filter meets:
// top-level equalities and $in lists of ObjectIds, bools and plain strings; a regex that is a
// plain word (as LIKE '%word%' on the field's JSON text); and $and / $or of such filters.
// What it cannot express it leaves out (a weaker condition keeps more rows, never fewer).
func forumConds(filter *types.Document, depth int) ([]string, []any) {
	if filter == nil || depth > forumMaxDepth {
		return nil, nil
	}

	var conds []string
	var args []any
	seen := map[string]bool{}

	for _, k := range filter.Keys() {
		if seen[k] {
			return nil, nil // a key twice: leave it all to the handler
		}
		seen[k] = true

		v := must.NotFail(filter.Get(k))

		switch k {
		case "$and":
			for _, sub := range forumSubFilters(v) {
				c, a := forumConds(sub, depth+1)
				conds = append(conds, c...)
				args = append(args, a...)
			}

			continue

		case "$or":
			subs := forumSubFilters(v)
			if len(subs) == 0 {
				continue
			}

			var branches []string
			var branchArgs []any

			for _, sub := range subs {
				c, a := forumConds(sub, depth+1)
				if len(c) == 0 {
					branches = nil // a branch SQL cannot narrow: the $or as a whole cannot either

					break
				}

				branches = append(branches, "("+strings.Join(c, " AND ")+")")
				branchArgs = append(branchArgs, a...)
			}

			if branches != nil {
				conds = append(conds, "("+strings.Join(branches, " OR ")+")")
				args = append(args, branchArgs...)
			}

			continue
		}

		if !forumPlainKey.MatchString(k) || forumColumnName(k) {
			continue
		}

		// Spelled like FerretDB's own indexes (_ferretdb_sjson->"f"), so an index on f serves both
		// the values and the "holds an array" range (JSON text starting with '[').
		f := fmt.Sprintf(\`%s->"%s"\`, metadata.DefaultColumn, k)

		if word, ok := forumRegexWord(v); ok {
			// The word is in the field's JSON text wherever the regex finds it in a string, or in a
			// string of an array (letters, digits and spaces are never escaped in JSON).
			conds = append(conds, fmt.Sprintf(\`%s LIKE ?\`, f))
			args = append(args, "%"+word+"%")

			continue
		}

		texts, ok := forumEqualsAny(v)
		if !ok {
			continue
		}

		in := "= ?"
		if len(texts) > 1 {
			in = "IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(texts)), ", ") + ")"
		}

		if k == "_id" {
			// the indexed expression (patch 2); an _id is never an array
			conds = append(conds, fmt.Sprintf(\`%s %s\`, metadata.IDColumn, in))
			args = append(args, texts...)

			continue
		}

		conds = append(conds, fmt.Sprintf(\`(%s %s OR (%s >= '[' AND %s < '\\'))\`, f, in, f, f))
		args = append(args, texts...)
	}

	return conds, args
}

// forumSubFilters returns the documents of an $and or $or array (none if it is anything else).
func forumSubFilters(v any) []*types.Document {
	arr, ok := v.(*types.Array)
	if !ok {
		return nil
	}

	subs := make([]*types.Document, 0, arr.Len())

	for i := 0; i < arr.Len(); i++ {
		doc, ok := must.NotFail(arr.Get(i)).(*types.Document)
		if !ok {
			return nil
		}

		subs = append(subs, doc)
	}

	return subs
}

// forumRegexWord returns the plain word of a case-sensitive or case-insensitive regex match
// ({$regex: "word", $options: "i"}, or a BSON regex), or false for anything else.
func forumRegexWord(v any) (string, bool) {
	var pattern, options string

	switch v := v.(type) {
	case types.Regex:
		pattern, options = v.Pattern, v.Options
	case *types.Document:
		keys := v.Keys()
		if len(keys) == 0 || len(keys) > 2 || keys[0] != "$regex" {
			return "", false
		}

		switch r := must.NotFail(v.Get("$regex")).(type) {
		case string:
			pattern = r
		case types.Regex:
			pattern, options = r.Pattern, r.Options
		default:
			return "", false
		}

		if len(keys) == 2 {
			o, ok := must.NotFail(v.Get(keys[1])).(string)
			if keys[1] != "$options" || !ok {
				return "", false
			}

			options += o
		}
	default:
		return "", false
	}

	if (options != "" && options != "i") || !forumPlainWord.MatchString(pattern) {
		return "", false
	}

	return pattern, true
}
`;
const WRITE_LOCK_GO = `// Added by realtime-forum scripts/ferretdb.mjs: see the comment above PATCHES there.

package handler

import "sync"

// forumWriteLocks maps "db.collection" to the *sync.Mutex that serializes its updates.
var forumWriteLocks sync.Map

// forumLockWrites makes read-modify-write commands on one collection atomic to each other.
func forumLockWrites(db, collection string) func() {
\tm, _ := forumWriteLocks.LoadOrStore(db+"."+collection, new(sync.Mutex))
\tmu := m.(*sync.Mutex)
\tmu.Lock()

\treturn mu.Unlock
}
`;

const LOCK_LINE = '\tdefer forumLockWrites(params.DB, params.Collection)()\n\n';

const DB_WRITE_LOCK_GO = `// Added by realtime-forum scripts/ferretdb.mjs: see the comment above PATCHES there.

package fsql

import (
\t"database/sql"
\t"sync"
)

// forumDBWriteLocks maps each *sql.DB (one SQLite file) to the *sync.Mutex its writes take.
var forumDBWriteLocks sync.Map

// forumLockDBWrites queues a write to one SQLite database in Go, where a waiter is handed the
// lock as soon as it is free, instead of in SQLite's busy handler, which sleeps 1, 2, 5, 10 ms...
func forumLockDBWrites(db *sql.DB) func() {
\tm, _ := forumDBWriteLocks.LoadOrStore(db, new(sync.Mutex))
\tmu := m.(*sync.Mutex)
\tmu.Lock()

\treturn mu.Unlock
}
`;
const DB_LOCK_LINE = '\tdefer forumLockDBWrites(db.sqlDB)()\n\n';
const NO_TRACKING = '\tif true { // realtime-forum: no leak tracking (a stack trace per iterator)\n\t\treturn\n\t}\n\n';
const PATCHES = [
  { file: 'internal/handler/forum_write_lock.go', create: WRITE_LOCK_GO },
  {
    file: 'internal/handler/msg_findandmodify.go',
    find: 'func (h *Handler) findAndModifyDocument(ctx context.Context, params *common.FindAndModifyParams) (*findAndModifyResult, error) {\n',
    append: LOCK_LINE,
  },
  {
    file: 'internal/handler/msg_update.go',
    find: 'func (h *Handler) updateDocument(ctx context.Context, params *common.UpdateParams) (int32, int32, *types.Array, error) {\n',
    append: LOCK_LINE,
  },
  { file: 'internal/backends/sqlite/forum_pushdown.go', create: PUSHDOWN_GO },
  {
    file: 'internal/backends/sqlite/collection.go',
    find: `	// that logic should exist in one place
	// TODO https://github.com/FerretDB/FerretDB/issues/3235
	if params.Filter.Len() == 1 {
		v, _ := params.Filter.Get("_id")
		switch v.(type) {
		case string, types.ObjectID:
			whereClause = fmt.Sprintf(\` WHERE %s = ?\`, metadata.IDColumn)
			args = []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}
		}
	}

	q += whereClause
	q += prepareOrderByClause(params.Sort)`,
    replace: `	// realtime-forum: every top-level equality it can, not a lone _id only (forum_pushdown.go)
	whereClause, args = forumPushdown(params.Filter)

	q += whereClause
	q += prepareOrderByClause(params.Sort)`,
  },
  { file: 'internal/util/fsql/forum_write_lock.go', create: DB_WRITE_LOCK_GO },
  {
    file: 'internal/util/fsql/db.go',
    find: 'func (db *DB) InTransaction(ctx context.Context, f func(*Tx) error) (err error) {\n',
    append: DB_LOCK_LINE,
  },
  {
    file: 'internal/util/fsql/db.go',
    find: 'func (db *DB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {\n',
    append: DB_LOCK_LINE,
  },
  { file: 'internal/util/resource/resource.go', find: 'func Track(obj any, token *Token) {\n', append: NO_TRACKING },
  { file: 'internal/util/resource/resource.go', find: 'func Untrack(obj any, token *Token) {\n', append: NO_TRACKING },
  {
    file: 'internal/backends/sqlite/metadata/metadata.go',
    find: `IDColumn = DefaultColumn + "->'$._id'"`,
    replace: 'IDColumn = DefaultColumn + `->"_id"` // realtime-forum: same expression as the _id index',
  },
];

async function applyPatches(src) {
  for (const patch of PATCHES) {
    const file = path.join(src, patch.file);
    if (patch.create !== undefined) {
      await fs.writeFile(file, patch.create);
      continue;
    }
    const text = await fs.readFile(file, 'utf8');
    if (!text.includes(patch.find)) throw new Error(`FerretDB patch does not apply: ${patch.file} has changed upstream`);
    await fs.chmod(file, 0o644);
    await fs.writeFile(file, text.replace(patch.find, patch.replace ?? patch.find + patch.append));
  }
}

async function findGo() {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && (await isExecutable(path.join(dir, 'go')))) return path.join(dir, 'go');
  }
  if (await isExecutable('/usr/local/go/bin/go')) return '/usr/local/go/bin/go';
  throw new Error(
    `Cannot build FerretDB ${FERRETDB_VERSION}: the Go toolchain ("go") is not on PATH nor at /usr/local/go/bin/go. ` +
      'Install Go >= 1.24 (https://go.dev/dl/), or set FERRETDB_BIN to a FerretDB v1 binary, ' +
      'or set MONGODB_URI to use an existing MongoDB.',
  );
}

/** Runs a command, streaming its stderr line by line to `log`; resolves with stdout if `capture`. */
function run(cmd, args, { cwd, env = process.env, capture = false, log }) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', capture ? 'pipe' : 'inherit', 'pipe'] });
    let stdout = '';
    const tail = [];
    child.stdout?.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    let pending = '';
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        log(`[ferretdb]   ${line}`);
        tail.push(line);
        if (tail.length > 20) tail.shift();
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (pending) log(`[ferretdb]   ${pending}`);
      if (code === 0) resolve(stdout);
      else reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`})\n${tail.join('\n')}`));
    });
  });
}

/**
 * mkdir is atomic, so the lock directory works across processes. The owner writes its pid;
 * a lock whose owner is gone (or that is very old) is taken over.
 */
async function acquireLock(lockDir, log) {
  let announced = false;
  for (;;) {
    try {
      await fs.mkdir(lockDir);
      await fs.writeFile(path.join(lockDir, 'pid'), String(process.pid));
      return () => fs.rm(lockDir, { recursive: true, force: true });
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    if (await isStaleLock(lockDir)) {
      log(`[ferretdb] removing stale build lock ${lockDir}`);
      await fs.rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (!announced) {
      log(`[ferretdb] another process is building FerretDB; waiting for ${lockDir}`);
      announced = true;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function isStaleLock(lockDir) {
  let stat;
  try {
    stat = await fs.stat(lockDir);
  } catch (err) {
    if (err.code === 'ENOENT') return false; // released meanwhile; the caller retries mkdir
    throw err;
  }
  const age = Date.now() - stat.mtimeMs;
  if (age > LOCK_STALE_MS) return true;
  const pid = Number(await fs.readFile(path.join(lockDir, 'pid'), 'utf8').catch(() => ''));
  if (!pid) return age > 5_000; // the owner crashed between mkdir and writing its pid
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return err.code === 'ESRCH';
  }
}

async function makeDirsWritable(dir) {
  await fs.chmod(dir, 0o755);
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) await makeDirsWritable(path.join(dir, entry.name));
  }
}

async function isExecutable(file) {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return false;
    await fs.access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}
