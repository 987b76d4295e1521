// Writes a brotli (.br) and a gzip (.gz) copy beside each text file of the built client, once at
// build time at the highest levels (too slow to do per request), for the server to send to
// clients that accept them (server/src/web.ts, @fastify/static's preCompressed). A copy that
// would not be smaller is not written.
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);
const TEXT = /\.(js|mjs|css|html|svg|json|txt|webmanifest)$/;
const MIN_BYTES = 1024;

async function* files(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (entry.isFile()) yield full;
  }
}

/** Compresses every text file under `dir`; returns how many bytes they were and are as brotli. */
export async function precompress(dir) {
  let raw = 0;
  let br = 0;
  for await (const file of files(dir)) {
    if (!TEXT.test(file) || (await stat(file)).size < MIN_BYTES) continue;
    const body = await readFile(file);
    const [b, g] = await Promise.all([
      brotli(body, {
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      }),
      gzip(body, { level: zlib.constants.Z_BEST_COMPRESSION }),
    ]);
    raw += body.length;
    br += Math.min(b.length, body.length);
    if (b.length < body.length) await writeFile(`${file}.br`, b);
    if (g.length < body.length) await writeFile(`${file}.gz`, g);
  }
  return { raw, br };
}
