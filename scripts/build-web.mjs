// Bundles the browser client (client/web) into client/web/dist with esbuild: one ES module,
// one stylesheet and the page shell. Runs on `npm install` (postinstall), before `npm start`
// and `npm test`, and from the browser test. No dev server, no CDN.
import { copyFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = fileURLToPath(new URL('../client/web/', import.meta.url));
export const webDist = path.join(root, 'dist');

/** Build client/web into client/web/dist. Returns the output directory. */
export async function buildWeb({ minify = true, quiet = false } = {}) {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new Error('esbuild is not installed (it is a devDependency): run `npm install` to build the web client');
  }
  await mkdir(webDist, { recursive: true });
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { app: path.join(root, 'src/main.ts') },
    outdir: webDist,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    minify,
    sourcemap: 'linked',
    legalComments: 'linked',
    logLevel: quiet ? 'silent' : 'warning',
    metafile: true,
  });
  await copyFile(path.join(root, 'index.html'), path.join(webDist, 'index.html'));
  if (!quiet) {
    const bytes = Object.entries(result.metafile.outputs)
      .filter(([file]) => !file.endsWith('.map'))
      .map(([file, out]) => `${path.basename(file)} ${(out.bytes / 1024).toFixed(1)} KiB`);
    process.stdout.write(`[build-web] ${bytes.join(', ')}\n`);
  }
  return webDist;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildWeb().catch((err) => {
    process.stderr.write(`[build-web] ${err instanceof Error ? err.message : String(err)}\n`);
    // An install without devDependencies (npm ci --omit=dev) has no esbuild: say so, but let
    // the install finish; the server then answers the page routes with a 503 that says why.
    if (process.env.npm_lifecycle_event === 'postinstall') return;
    process.exit(1);
  });
}
