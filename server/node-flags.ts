/**
 * The Node flags the server runs with: `npm start` (package.json, which must say the same), the
 * cluster script, the process tests and the bench's "ours" all start it with these.
 *
 * `--single-threaded-gc`: on a small machine the server shares its cores with the database (and,
 * in the bench, the load generator); V8's parallel GC helper threads then compete with them in
 * the middle of a fan-out. One GC thread measured better at every rate (README, "Performance").
 */
export const SERVER_NODE_FLAGS = ['--single-threaded-gc'];
