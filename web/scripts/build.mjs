// Builds the client into a folder of its own, compresses its text files (precompress.mjs), then
// swaps it in for web/dist (scripts/lib/swap-build.mjs).
// `vite build` straight into web/dist empties it first, and pages and assets answered 404 (or 500)
// meanwhile to a server serving it.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { buildInto } from '../../scripts/lib/swap-build.mjs';
import { precompress } from './precompress.mjs';

// A build is for production whatever the caller's NODE_ENV: run from a test (vitest sets
// NODE_ENV=test) it had bundled React's development build, 200 KB gzip instead of 137.
process.env.NODE_ENV = 'production';

const web = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
await buildInto(path.join(web, 'dist'), async (outDir) => {
  await build({ root: web, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  await precompress(outDir);
});
