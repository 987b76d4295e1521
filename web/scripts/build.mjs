// Builds the client into a folder of its own, then swaps it in for web/dist (scripts/lib/swap-build.mjs).
// `vite build` straight into web/dist empties it first, and pages and assets answered 404 (or 500)
// meanwhile to a server serving it.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { buildInto } from '../../scripts/lib/swap-build.mjs';

const web = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
await buildInto(path.join(web, 'dist'), (outDir) =>
  build({ root: web, logLevel: 'warn', build: { outDir, emptyOutDir: true } }),
);
