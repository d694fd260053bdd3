// Types for build-web.mjs (plain JS so that `npm install` can run it before anything is compiled).
/** Absolute path of client/web/dist. */
export declare const webDist: string;
/** Bundle client/web into client/web/dist with esbuild; resolves with the output directory. */
export declare function buildWeb(opts?: { minify?: boolean; quiet?: boolean }): Promise<string>;
