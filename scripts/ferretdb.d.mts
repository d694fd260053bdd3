// Types for ferretdb.mjs (kept as plain JS so it runs before anything is installed or compiled).
export declare const FERRETDB_VERSION: string;
/** Cached binary location: `${XDG_CACHE_HOME:-~/.cache}/realtime-forum/ferretdb-<version>-<patch level>/ferretdb`. */
export declare function ferretdbCachePath(): string;
/** Path of a runnable FerretDB binary (`FERRETDB_BIN`, or built into the cache on first use). */
export declare function ensureFerretdb(opts?: { log?: (line: string) => void }): Promise<string>;
export declare const FERRETDB_PATCH_LEVEL: string;
