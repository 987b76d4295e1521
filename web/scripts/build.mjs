// Builds the client into a folder of its own, then swaps it in for web/dist in two renames.
// A server serving web/dist while this runs (npm start beside npm test, a second replica on the
// same checkout) never sees it empty or half-written: `vite build` straight into web/dist empties
// it first, and pages and assets answered 404 (or 500) meanwhile.
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const web = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dist = path.join(web, 'dist');
const next = path.join(web, `.dist-next-${process.pid}`);
const old = path.join(web, `.dist-old-${process.pid}`);

try {
  await build({ root: web, logLevel: 'warn', build: { outDir: next, emptyOutDir: true } });
  // Both renames are atomic; between them web/dist is missing for a few microseconds only.
  await rename(dist, old).catch((err) => {
    if (err.code !== 'ENOENT') throw err;
  });
  await rename(next, dist);
  await rm(old, { recursive: true, force: true });
} catch (err) {
  await rm(next, { recursive: true, force: true });
  throw err;
}
