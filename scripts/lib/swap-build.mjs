// Builds into a folder of its own, then swaps it in for `dist` in two renames (both atomic):
// a server serving `dist` meanwhile (npm start beside npm test, a second replica on the same
// checkout) never sees it empty or half-written. Used by the client's and the server's builds.
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** Runs `build(folder)` into a fresh folder beside `dist`, then puts that folder in its place. */
export async function buildInto(dist, build) {
  const parent = path.dirname(dist);
  const next = path.join(parent, `.dist-next-${process.pid}`);
  const old = path.join(parent, `.dist-old-${process.pid}`);
  try {
    await build(next);
    // between the two renames `dist` is missing for a few microseconds only
    await rename(dist, old).catch((err) => {
      if (err.code !== 'ENOENT') throw err;
    });
    await rename(next, dist);
    await rm(old, { recursive: true, force: true });
  } catch (err) {
    await rm(next, { recursive: true, force: true });
    throw err;
  }
}
