import zlib from 'node:zlib';
import fastifyCompress from '@fastify/compress';
import type { App } from './app-type';

/** Answers smaller than this go as they are: compressing them saves less than its headers cost. */
export const COMPRESS_THRESHOLD_BYTES = 1024;

/**
 * Compresses answers above the threshold for clients that accept it (brotli, else gzip): API JSON
 * and exports as they stream. The built client's files are compressed once at build time
 * (web/scripts/precompress.mjs) and served as they are (web.ts): a file already carrying a
 * content-encoding is left alone. Brotli at quality 4 on the fly: close to gzip's CPU, smaller.
 *
 * Request bodies are not decompressed: a client has no reason to send them compressed, and a
 * small compressed body could inflate past the body limit's meaning.
 */
export async function registerCompression(app: App) {
  await app.register(fastifyCompress, {
    global: true,
    globalDecompression: false,
    threshold: COMPRESS_THRESHOLD_BYTES,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } },
  });
}
