import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';

/**
 * The CLI's export commands (`export:top`, `export:voters`): they talk to a running Fanlab over
 * HTTP with a personal API token (FANLAB_URL, FANLAB_TOKEN), never to the database, and stream
 * the response to a file: written to `<out>.part`, renamed when the last byte is in (an error
 * leaves no half file), or to standard output with `--out -` or no `--out`.
 */

export const exportUsage = `  npm run cli -- export:top [--limit N] [--format csv|jsonl|json] [--out FILE] [--bom]
                           [--category SLUG] [--status open,planned,…] [--space es|pt-BR]
                           [--region MX] [--tag TAG] [--window 7d|30d|90d|365d|all]
                           [--sort votes|window|trending|discussed|newest]
                                       the dashboard's top requests (GET /api/dashboard/top/export)
  npm run cli -- export:voters --idea ID [--format csv|jsonl|json] [--out FILE] [--bom]
                                       an idea's voters (GET /api/ideas/:id/voters/export)
      export:* talk to a running Fanlab: FANLAB_URL (default http://127.0.0.1:3000) and
      FANLAB_TOKEN (a personal API token with read:exports); --out - or no --out: standard output`;

/** Bad command line: the CLI prints the usage and exits 2. */
export class ExportUsageError extends Error {}
/** The export failed (no token, the API said no, the connection broke): exit 1. */
export class ExportError extends Error {}

export const exportCommands = ['export:top', 'export:voters'] as const;
export type ExportCommand = (typeof exportCommands)[number];

const FILTERS = ['category', 'status', 'space', 'region', 'tag', 'window', 'sort'] as const;

/** The request path and query of a command's export, from its options (strict: unknown ones throw). */
export function exportRequest(command: ExportCommand, args: string[]): { path: string; out: string | undefined } {
  const { values, positionals } = parseArgs({
    args,
    options: {
      format: { type: 'string' },
      out: { type: 'string' },
      bom: { type: 'boolean' },
      ...(command === 'export:top'
        ? {
            limit: { type: 'string' },
            ...Object.fromEntries(FILTERS.map((name) => [name, { type: 'string' as const }])),
          }
        : { idea: { type: 'string' } }),
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length) throw new ExportUsageError(`unexpected argument '${positionals[0]}'`);
  const query = new URLSearchParams();
  const names = command === 'export:top' ? [...FILTERS, 'limit', 'format'] : ['format'];
  for (const name of names) {
    const value = (values as Record<string, string | undefined>)[name];
    if (value !== undefined) query.set(name, value);
  }
  if (values.bom) query.set('bom', 'true');
  let path = '/api/dashboard/top/export';
  if (command === 'export:voters') {
    const idea = (values as { idea?: string }).idea;
    if (!idea) throw new ExportUsageError('--idea is required');
    if (!/^[1-9]\d{0,15}$/.test(idea)) throw new ExportUsageError(`--idea takes an idea's id, not '${idea}'`);
    path = `/api/ideas/${idea}/voters/export`;
  }
  const search = query.toString();
  return { path: search ? `${path}?${search}` : path, out: values.out === '-' ? undefined : values.out };
}

/**
 * Counts an export's rows as it passes: CSV records (line breaks outside quotes; doubled quotes
 * toggle twice) less the header, JSON Lines lines, or for JSON the rows the server writes one a
 * line between `[` and `]` (JSON strings hold no raw line breaks). bench:exports counts with it too.
 */
export class RowCounter extends Transform {
  bytes = 0;
  private breaks = 0;
  private quoted = false;

  constructor(private readonly format: string) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null, data?: Buffer) => void) {
    this.count(chunk);
    done(null, chunk);
  }

  /** Counts a chunk (also without passing it on). */
  count(chunk: Buffer) {
    this.bytes += chunk.length;
    for (let i = 0; i < chunk.length; i += 1) {
      const byte = chunk[i];
      if (byte === 0x22 && this.format === 'csv') this.quoted = !this.quoted;
      else if (byte === 0x0a && !this.quoted) this.breaks += 1;
    }
  }

  get rows(): number {
    if (this.format === 'jsonl') return this.breaks;
    if (this.format === 'json') return Math.max(0, this.breaks - 2);
    return Math.max(0, this.breaks - 1);
  }
}

/** An API error's message (`{ error: { code, message } }`), or what the body says. */
async function apiError(res: Response): Promise<string> {
  const text = await res.text();
  try {
    const { error } = JSON.parse(text) as { error?: { code?: string; message?: string } };
    if (error?.message) return `${res.status} ${error.code ?? ''}: ${error.message}`;
  } catch {
    // not JSON: the body itself
  }
  return `${res.status} ${res.statusText}${text ? `: ${text.slice(0, 200)}` : ''}`;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** Runs an export command; progress and the summary go to standard error. Returns the exit code. */
export async function runExport(
  command: ExportCommand,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  stdout: Writable = process.stdout,
): Promise<number> {
  const { path, out } = exportRequest(command, args);
  const token = env.FANLAB_TOKEN?.trim();
  if (!token) {
    throw new ExportError(
      'FANLAB_TOKEN is not set: create a personal API token (scope read:exports) on your account page and export FANLAB_TOKEN=flt_…',
    );
  }
  const base = env.FANLAB_URL?.trim() || 'http://127.0.0.1:3000';
  let url: URL;
  try {
    url = new URL(path, base);
  } catch {
    throw new ExportError(`FANLAB_URL is not a URL: '${base}'`);
  }
  const started = performance.now();
  let res: Response;
  try {
    res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause?.message;
    throw new ExportError(`cannot reach ${url.origin}: ${cause ?? (err as Error).message}`);
  }
  if (!res.ok || !res.body) throw new ExportError(await apiError(res));
  const format = url.searchParams.get('format') ?? 'csv';
  const counter = new RowCounter(format);
  const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream);
  const part = out ? `${out}.part` : undefined;
  try {
    if (part && out) {
      await pipeline(body, counter, createWriteStream(part, { flags: 'w', mode: 0o600 }));
      await rename(part, out);
    } else {
      await pipeline(body, counter, stdout, { end: false });
    }
  } catch (err) {
    if (part) await rm(part, { force: true });
    throw new ExportError(`the export broke off after ${mib(counter.bytes)}: ${(err as Error).message}`);
  }
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  console.error(`${counter.rows} rows, ${mib(counter.bytes)} in ${secs} s${out ? ` to ${out}` : ''}`);
  return 0;
}
