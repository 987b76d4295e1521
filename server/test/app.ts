// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { SiteSettings } from '@fanlab/shared';
import { type AppOptions, buildApp, defaultLimits } from '../src/app';
import { loadConfig } from '../src/config';
import type { Db } from '../src/db/connect';
import type { App } from '../src/http/app-type';
import { createTestDatabase, type TestDatabase } from './db';
import { confirmationToken, lastMailTo } from './mail';

export interface TestApp {
  app: App;
  db: Db;
  database: TestDatabase;
  /** http://127.0.0.1:port when started with listen: true. */
  baseUrl: string;
  /** The folder uploads go to (unless an upload store was given). */
  uploadsDir: string;
  close(): Promise<void>;
}

const generous = { max: 1_000_000, windowSeconds: 60 };
/** Every limit of the app, out of the way of tests that are not about limits. */
const generousLimits: typeof defaultLimits = {
  ...(Object.fromEntries(Object.keys(defaultLimits).map((k) => [k, generous])) as unknown as typeof defaultLimits),
  signIn: {
    perIp: generous,
    failuresPerAccountIp: generous,
    slowdown: { ...defaultLimits.signIn.slowdown, afterFailures: 1_000_000 },
  },
};

/** The site settings' limits out of the way too (tests of a limit set it). */
const generousSettings: Partial<SiteSettings> = {
  threadLimit: generous,
  threadLimitNewMember: generous,
  postLimit: generous,
  postLimitNewMember: generous,
  flagLimit: generous,
  signUpsPerIp: generous,
  repeatPostMinutes: 0,
};

export interface TestAppOptions {
  /** Listen on a real port (websockets, browsers, other processes). */
  listen?: boolean;
  /** Share a database with another instance (it is then not dropped on close). */
  database?: TestDatabase;
  limits?: AppOptions['limits'];
  /** Site settings' defaults (over the generous test limits). */
  settings?: AppOptions['settings'];
  live?: AppOptions['live'];
  production?: boolean;
  /** Adds to the app before it starts (e.g. a deliberately broken route for a self-test). */
  extend?: (app: App) => void;
  /** Lets the image fetcher reach a local test host (see server/test/image-host.ts). */
  images?: AppOptions['images'];
  /** The release fan-out worker's options; false runs none (a test drives its own). */
  fanout?: AppOptions['fanout'];
  /** Environment for loadConfig (e.g. TRUST_PROXY); nothing from the real environment is read. */
  env?: NodeJS.ProcessEnv;
  /** The upload store (default: a folder of this app's own, removed on close). */
  uploads?: AppOptions['uploads'];
}

/** The real app over a real database of its own. Rate limits are generous unless given. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const config = loadConfig(options.env ?? {});
  const uploadsDir = await mkdtemp(path.join(os.tmpdir(), 'fanlab-uploads-'));
  const app = await buildApp({
    db: database.db,
    databaseUrl: database.url,
    config: { ...config, production: options.production ?? false, uploadsDir },
    uploads: options.uploads,
    limits: { ...generousLimits, ...options.limits },
    settings: { ...generousSettings, ...options.settings },
    live: options.live,
    images: options.images,
    fanout: options.fanout,
    // tests move the windows themselves (advanceVoteWindows): a clock ticking every minute would
    // change the database under tests that compare it before and after
    voteWindows: false,
    logger: false,
  });
  options.extend?.(app);
  let baseUrl = '';
  if (options.listen) {
    await app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  } else {
    await app.ready();
  }
  return {
    app,
    db: database.db,
    database,
    baseUrl,
    uploadsDir,
    async close() {
      await app.close();
      await rm(uploadsDir, { recursive: true, force: true });
      if (!options.database) await database.drop();
    },
  };
}

export interface Response<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
}

export const TEST_HOST = 'fanlab.test';
export const TEST_ORIGIN = `http://${TEST_HOST}`;

/** A browser-like client over app.inject: keeps the session cookie, sends a same-origin Origin. */
export class Client {
  cookie: string | undefined;

  constructor(
    readonly app: App,
    private readonly options: { ip?: string; origin?: string | null } = {},
  ) {}

  async request<T = any>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
    // A request may be answered from this process's caches (anonymous answers, thread pages' rows,
    // sessions), which hear of changes within the live update delay; a test acts on what it just
    // wrote (a post, a silence by SQL), so it waits for this process to have heard.
    if (url.startsWith('/api/')) await this.app.heardAll();
    const origin = this.options.origin === undefined ? TEST_ORIGIN : this.options.origin;
    const res = await this.app.inject({
      method: method as 'GET',
      url,
      remoteAddress: this.options.ip ?? '127.0.0.1',
      headers: {
        host: TEST_HOST,
        ...(origin ? { origin } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(body !== undefined && !Buffer.isBuffer(body) ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      payload:
        body === undefined
          ? undefined
          : typeof body === 'string' || Buffer.isBuffer(body)
            ? body
            : JSON.stringify(body),
    });
    const setCookie = res.headers['set-cookie'];
    for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
      const [pair] = line.split(';');
      const value = pair?.slice(pair.indexOf('=') + 1);
      this.cookie = value ? pair : undefined;
    }
    let parsed: unknown = res.body;
    try {
      parsed = res.body ? JSON.parse(res.body) : undefined;
    } catch {
      // not JSON (HTML pages)
    }
    return { status: res.statusCode, body: parsed as T, headers: res.headers } satisfies Response<T>;
  }

  get<T = any>(url: string) {
    return this.request<T>('GET', url);
  }
  post<T = any>(url: string, body?: unknown) {
    return this.request<T>('POST', url, body);
  }
  patch<T = any>(url: string, body?: unknown) {
    return this.request<T>('PATCH', url, body);
  }
  put<T = any>(url: string, body?: unknown) {
    return this.request<T>('PUT', url, body);
  }
  /** POSTs raw bytes (an image upload) with their type. */
  upload<T = any>(bytes: Buffer, contentType: string, url = '/api/uploads') {
    return this.request<T>('POST', url, bytes, { 'content-type': contentType });
  }
}

let counter = 0;
export const PASSWORD = 'violet-tractor-sunrise';

/**
 * Signs up a new member on `client` the way a person does (sign up, open the link in the mail)
 * and returns the account; `client` is then signed in.
 */
/**
 * Signs up through the mailed link. The account is then set to trust level 1 (basic) unless
 * `trustLevel` says otherwise: tests not about trust are not held to new members' limits.
 */
export async function signUp(client: Client, name?: string, trustLevel: 0 | 1 | 2 | 3 = 1) {
  counter += 1;
  const username = name ?? `fan_${process.pid % 1000}_${counter}`;
  const email = `${username.toLowerCase()}@example.com`;
  const res = await client.post('/api/auth/sign-up', { username, email, password: PASSWORD });
  if (res.status !== 202) throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
  const token = confirmationToken((await lastMailTo(client.app.db, email)).text);
  const confirmed = await client.post('/api/auth/sign-up/confirm', { token });
  if (confirmed.status !== 201) {
    throw new Error(`sign-up confirmation failed: ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
  }
  await client.app.db
    .updateTable('users')
    .set({ trust_level: trustLevel })
    .where('id', '=', confirmed.body.user.id)
    .execute();
  return confirmed.body.user as { id: number; username: string; email: string; role: string };
}
