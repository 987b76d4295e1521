import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTrustProxy, type TrustProxy } from './http/trust-proxy';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Everything the server reads from the environment. Documented in the README. */
export interface Config {
  port: number;
  host: string;
  /** Unset: run the embedded PostgreSQL. */
  databaseUrl: string | undefined;
  production: boolean;
  /** Where the embedded cluster keeps its data. */
  dataDir: string;
  embeddedPgPort: number;
  dbPoolSize: number;
  /** Server processes `npm start` runs, each with its own pool (default: one per core). */
  webConcurrency: number;
  /** Longest wait for a database connection before a request answers 503. */
  dbConnectTimeoutMs: number;
  /** Longest a statement may run (0: no limit); see connect.ts. */
  dbQueryTimeoutMs: number;
  logLevel: string;
  /** Which reverse proxies' X-Forwarded-* to believe (client IPs for rate limits): see http/trust-proxy.ts. */
  trustProxy: TrustProxy;
  /** Extra origins allowed to make cookie-authenticated writes (besides the request's own host). */
  allowedOrigins: string[];
  /** Folder of the built web client; served when it exists. */
  webDist: string;
  /** Votes (cast or taken back) a user may send per minute. */
  voteLimitPerMinute: number;
  /** Open live sockets allowed per client address, and per signed-in user. */
  liveMaxSocketsPerIp: number;
  liveMaxSocketsPerUser: number;
  /** A session unused this many days ends. */
  sessionIdleDays: number;
  /** A session ends this many days after sign-in, however much it is used. */
  sessionMaxAgeDays: number;
  /** Megabytes of anonymous answers each server process keeps (http/response-cache.ts; 0: none). */
  responseCacheMb: number;
  /** Longest a review-queue page is served from this process's cache (0: never cached). */
  reviewQueueCacheMs: number;
  /** Parts a release's fan-out is split into, worked by that many processes at once. */
  releaseFanoutParts: number;
  /** The address members reach Fanlab at: links in mails start with it. */
  publicUrl: string;
  /** smtp(s)://user:password@host:port; unset: mail is written as .eml files to mailDir. */
  smtpUrl: string | undefined;
  mailFrom: string;
  mailDir: string;
  /** Where uploaded images are kept on disk (unless `uploadsS3` is set); back it up with the database. */
  uploadsDir: string;
  /** An S3-compatible bucket for uploads instead of the folder (all of S3_* set). */
  uploadsS3: S3Config | undefined;
  /** Largest image a member may upload, in bytes (before Fanlab re-encodes it). */
  uploadMaxBytes: number;
}

export interface S3Config {
  /** https://s3.eu-west-1.amazonaws.com, https://<account>.r2.cloudflarestorage.com, http://minio:9000 … */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY (S3_REGION optional): all or none. */
function s3Config(env: NodeJS.ProcessEnv): S3Config | undefined {
  const names = ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const;
  const given = names.filter((name) => env[name]);
  if (given.length === 0) return undefined;
  if (given.length < names.length) {
    const missing = names.filter((name) => !env[name]).join(', ');
    throw new Error(`uploads to S3 need ${names.join(', ')}; missing ${missing}`);
  }
  let endpoint: URL;
  try {
    endpoint = new URL(env.S3_ENDPOINT ?? '');
  } catch {
    throw new Error(`S3_ENDPOINT must be an http(s) URL, got '${env.S3_ENDPOINT}'`);
  }
  if (endpoint.protocol !== 'https:' && endpoint.protocol !== 'http:') {
    throw new Error(`S3_ENDPOINT must be an http(s) URL, got '${env.S3_ENDPOINT}'`);
  }
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(env.S3_BUCKET ?? '')) {
    throw new Error(
      `S3_BUCKET must be a bucket name (lower case letters, digits, dots, hyphens), got '${env.S3_BUCKET}'`,
    );
  }
  return {
    endpoint: endpoint.toString().replace(/\/+$/, ''),
    bucket: env.S3_BUCKET ?? '',
    region: env.S3_REGION || 'us-east-1',
    accessKeyId: env.S3_ACCESS_KEY_ID ?? '',
    secretAccessKey: env.S3_SECRET_ACCESS_KEY ?? '',
  };
}

function publicUrl(value: string | undefined, host: string, port: number): string {
  if (!value) {
    const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
    return `http://${shown}:${port}`;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`PUBLIC_URL must be an absolute http(s) URL, got '${value}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`PUBLIC_URL must be an absolute http(s) URL, got '${value}'`);
  }
  return url.origin + url.pathname.replace(/\/+$/, '');
}

function smtpUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error('SMTP_URL must look like smtp://user:password@host:587 or smtps://…');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new Error('SMTP_URL must look like smtp://user:password@host:587 or smtps://…');
  }
  return value;
}

function int(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got '${value}'`);
  }
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = int('PORT', env.PORT, 3000, 0, 65535);
  const host = env.HOST || '127.0.0.1';
  return {
    port,
    host,
    databaseUrl: env.DATABASE_URL || undefined,
    production: env.NODE_ENV === 'production',
    dataDir: path.resolve(env.FANLAB_DATA_DIR || path.join(REPO_ROOT, '.data', 'postgres')),
    embeddedPgPort: int('FANLAB_PG_PORT', env.FANLAB_PG_PORT, 54329, 1, 65535),
    dbPoolSize: int('DB_POOL_SIZE', env.DB_POOL_SIZE, 10, 1, 200),
    webConcurrency: int('WEB_CONCURRENCY', env.WEB_CONCURRENCY, Math.max(1, os.availableParallelism()), 1, 64),
    dbConnectTimeoutMs: int('DB_CONNECT_TIMEOUT_MS', env.DB_CONNECT_TIMEOUT_MS, 5_000, 100, 600_000),
    dbQueryTimeoutMs: int('DB_QUERY_TIMEOUT_MS', env.DB_QUERY_TIMEOUT_MS, 30_000, 0, 3_600_000),
    logLevel: env.LOG_LEVEL || 'info',
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    allowedOrigins: (env.ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    webDist: path.join(REPO_ROOT, 'web', 'dist'),
    voteLimitPerMinute: int('VOTE_LIMIT_PER_MINUTE', env.VOTE_LIMIT_PER_MINUTE, 120, 1, 1_000_000),
    liveMaxSocketsPerIp: int('LIVE_MAX_SOCKETS_PER_IP', env.LIVE_MAX_SOCKETS_PER_IP, 200, 1, 1_000_000),
    liveMaxSocketsPerUser: int('LIVE_MAX_SOCKETS_PER_USER', env.LIVE_MAX_SOCKETS_PER_USER, 20, 1, 10_000),
    sessionIdleDays: int('SESSION_IDLE_DAYS', env.SESSION_IDLE_DAYS, 30, 1, 3650),
    sessionMaxAgeDays: int('SESSION_MAX_AGE_DAYS', env.SESSION_MAX_AGE_DAYS, 90, 1, 3650),
    responseCacheMb: int('RESPONSE_CACHE_MB', env.RESPONSE_CACHE_MB, 64, 0, 16_384),
    reviewQueueCacheMs: int('REVIEW_QUEUE_CACHE_MS', env.REVIEW_QUEUE_CACHE_MS, 1_000, 0, 60_000),
    releaseFanoutParts: int('RELEASE_FANOUT_PARTS', env.RELEASE_FANOUT_PARTS, 1, 1, 16),
    publicUrl: publicUrl(env.PUBLIC_URL, host, port),
    smtpUrl: smtpUrl(env.SMTP_URL),
    mailFrom: env.MAIL_FROM || 'Fanlab <fanlab@localhost>',
    mailDir: path.resolve(env.MAIL_DIR || path.join(REPO_ROOT, '.data', 'mail')),
    uploadsDir: path.resolve(env.UPLOADS_DIR || path.join(REPO_ROOT, '.data', 'uploads')),
    uploadsS3: s3Config(env),
    uploadMaxBytes: int('UPLOAD_MAX_MB', env.UPLOAD_MAX_MB, 10, 1, 100) * 1024 * 1024,
  };
}
