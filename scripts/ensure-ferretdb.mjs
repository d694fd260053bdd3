// CLI: make sure the FerretDB binary is built and cached; prints its path on stdout.
import { ensureFerretdb } from './ferretdb.mjs';

try {
  const bin = await ensureFerretdb();
  process.stdout.write(`${bin}\n`);
} catch (err) {
  process.stderr.write(`ensure-ferretdb: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
