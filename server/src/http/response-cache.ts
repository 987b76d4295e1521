import { createHash } from 'node:crypto';
import { type Locale, locales } from '@fanlab/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LiveMessage } from '../db/bus';
import type { App } from './app-type';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Anonymous answers of this GET route are kept by the response cache of each process
     * (http/response-cache.ts). Returns what the answer shows: `thread:<id>` for a thread's page,
     * `lists` for anything that lists threads or categories.
     */
    anonymousCache?: (request: FastifyRequest) => CacheTag[];
  }
  interface FastifyRequest {
    /** Set when this request's answer is to be stored (a miss of the response cache). */
    cacheFill: Fill<CachedAnswer> | null;
  }
}

/** `thread:<id>`: that thread's page; `lists`: every list (threads, ideas, categories). */
/** `categories`: the category directory (forum/category-places.ts), gone only with `all`. */
export type CacheTag = `thread:${number}` | 'lists' | 'categories';

/** Route config of a cached list (threads, ideas, categories). */
export const listCache = { anonymousCache: (): CacheTag[] => ['lists'] };

/** Route config of a cached thread page (`:id`; checked by the route's schema before anything is stored). */
export const threadCache = {
  anonymousCache: (request: FastifyRequest): CacheTag[] => [
    `thread:${Number((request.params as { id?: unknown }).id)}`,
  ],
};

/** The live bus channel of the tables' own notifications (migration 0028). */
export const CACHE_CHANNEL = 'cache';

export interface ResponseCacheOptions {
  /** Bytes of JSON kept per process at most; the least recently used entries go first. 0: no cache. */
  maxBytes: number;
  /** An entry is read again after this long, however quiet its tables (a safety net, not the mechanism). */
  maxAgeMs: number;
}

interface Entry<V> {
  key: string;
  value: V;
  /** What it is counted as against maxBytes. */
  bytes: number;
  tags: CacheTag[];
  at: number;
}

export interface Fill<V> {
  key: string;
  tags: CacheTag[];
  /** Tag versions when the read began: a drop meanwhile means the answer may be stale. */
  versions: number[];
  epoch: number;
  done: (entry: Entry<V> | undefined) => void;
}

/** An answer as sent: its JSON and the ETag of it. */
export interface CachedAnswer {
  body: Buffer;
  etag: string;
}

const ENTRY_OVERHEAD = 200;
/** Tags whose drops are remembered at most (see drop()). */
const MAX_TAG_VERSIONS = 100_000;
const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Values kept per key in this process, each dropped by the tags it shows (`thread:<id>`, `lists`)
 * when the database announces a change to them (migration 0028: triggers on threads, posts,
 * categories, settings and members, on the live bus, so every process hears it within the live
 * update delay). A read that began before a drop is never stored after it (tag versions and an
 * epoch), so a stale value cannot slip in between. While the listener is disconnected nothing is
 * served or stored (announcements may be lost); when it is back, everything goes. `maxAgeMs` bounds
 * an entry's life anyway. LRU by bytes; concurrent misses of one key may wait for the first one's
 * read (`inFlight`). The anonymous answers (ResponseCache) and thread pages' rows use it.
 */
export class TaggedCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly byTag = new Map<CacheTag, Set<string>>();
  private readonly versions = new Map<CacheTag, number>();
  private readonly pending = new Map<string, Promise<Entry<V> | undefined>>();
  /** Bumped by clear(): every read that began before it is stale. */
  private epoch = 0;
  private bytes = 0;
  private connected = false;
  readonly stats = { hits: 0, misses: 0, stored: 0, dropped: 0, notModified: 0 };

  constructor(private readonly options: ResponseCacheOptions) {}

  get enabled(): boolean {
    return this.options.maxBytes > 0 && this.connected;
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  /** The listener is (again) in place: start from nothing, since announcements may have been missed. */
  resume(): void {
    this.clear();
    this.connected = true;
  }

  /** The listener lost its connection: serve nothing until it is back. */
  suspend(): void {
    this.connected = false;
    this.clear();
  }

  /** A live bus message: the cache's own channel drops entries; everything else is ignored. */
  heard(message: LiveMessage): void {
    if (message.channel !== CACHE_CHANNEL) return;
    const ids = (message.data as { ids?: unknown } | null)?.ids;
    if (message.event === 'threads' && Array.isArray(ids)) {
      this.drop('lists');
      for (const id of ids) if (Number.isSafeInteger(id)) this.drop(`thread:${id as number}`);
    } else if (message.event === 'all' || message.event === 'threads') this.clear();
    // 'users' (any member column, sessions: migration 0029) is the session cache's
  }

  /** Drops every entry, and every read under way. */
  clear(): void {
    this.epoch++;
    this.stats.dropped += this.entries.size;
    this.entries.clear();
    this.byTag.clear();
    this.bytes = 0;
  }

  /** Drops the entries that show `tag`, and marks reads under way that would show it as stale. */
  drop(tag: CacheTag): void {
    if (this.versions.size >= MAX_TAG_VERSIONS) {
      // one version per thread ever changed would grow without end: start over (clear() makes
      // every read under way stale by its epoch, so the versions are not needed any more)
      this.clear();
      this.versions.clear();
      return;
    }
    this.versions.set(tag, (this.versions.get(tag) ?? 0) + 1);
    const keys = this.byTag.get(tag);
    if (!keys) return;
    this.byTag.delete(tag);
    for (const key of keys) this.remove(key);
  }

  lookup(key: string): Entry<V> | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (Date.now() - entry.at > this.options.maxAgeMs) {
      this.remove(key);
      return undefined;
    }
    // most recently used last: eviction takes the first
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  /** A read of `key` under way, which a concurrent miss may wait for. */
  inFlight(key: string): Promise<Entry<V> | undefined> | undefined {
    return this.pending.get(key);
  }

  /** Starts a miss's read: what it needs to store the answer when it comes. */
  begin(key: string, tags: CacheTag[]): Fill<V> {
    let done!: (entry: Entry<V> | undefined) => void;
    const promise = new Promise<Entry<V> | undefined>((resolve) => {
      done = resolve;
    });
    this.pending.set(key, promise);
    return {
      key,
      tags,
      versions: tags.map((t) => this.versions.get(t) ?? 0),
      epoch: this.epoch,
      done: (entry) => {
        if (this.pending.get(key) === promise) this.pending.delete(key);
        done(entry);
      },
    };
  }

  /** Whether a miss's value may be stored: nothing it shows changed since its read began. */
  fresh(fill: Fill<V>): boolean {
    if (!this.enabled || fill.epoch !== this.epoch) return false;
    return fill.tags.every((t, i) => (this.versions.get(t) ?? 0) === fill.versions[i]);
  }

  /** Stores a miss's value (counted as `bytes`), unless something it shows changed since its read began. */
  store(fill: Fill<V>, value: V, bytes: number): Entry<V> | undefined {
    if (!this.fresh(fill)) return undefined;
    const size = bytes + fill.key.length + ENTRY_OVERHEAD;
    if (size > this.options.maxBytes / 8) return undefined; // one huge page must not empty the cache
    this.remove(fill.key);
    const entry: Entry<V> = { key: fill.key, value, bytes: size, tags: fill.tags, at: Date.now() };
    this.entries.set(fill.key, entry);
    this.bytes += size;
    for (const tag of fill.tags) {
      const keys = this.byTag.get(tag) ?? new Set<string>();
      keys.add(fill.key);
      this.byTag.set(tag, keys);
    }
    this.stats.stored++;
    while (this.bytes > this.options.maxBytes) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.remove(oldest);
    }
    return entry;
  }

  private remove(key: string) {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
    this.stats.dropped++;
    for (const tag of entry.tags) {
      const keys = this.byTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.byTag.delete(tag);
    }
  }
}

/** The reader's language for the key: the first of Accept-Language's that Fanlab speaks, else English. */
export function cacheLanguage(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return 'en';
  for (const part of acceptLanguage.split(',')) {
    const tag = part.trim().slice(0, 2).toLowerCase();
    if ((locales as readonly string[]).includes(tag)) return tag as Locale;
  }
  return 'en';
}

/**
 * The serialized JSON of anonymous reads (thread pages, thread and idea lists, the category tree),
 * per URL and language, in this process. Most readers of a fan forum are not signed in, and they
 * all read the same few pages.
 *
 * **Coherent:** an entry is dropped when the database announces a change to what it shows
 * (migration 0028: triggers on threads, posts, categories, settings and members, on the live bus,
 * so every process hears it within the live update delay). A read that began before a drop is
 * never stored after it (tag versions), so a stale answer cannot slip in between. While the
 * listener is disconnected nothing is served or stored (announcements may be lost); when it is
 * back, everything goes. `maxAgeMs` bounds an entry's life anyway.
 *
 * **Anonymous only:** a request that carries a session or a token never reads or fills it, so no
 * answer built for a member is ever stored. **Bounded:** LRU by bytes. Concurrent misses of one
 * key wait for the first one's answer instead of each reading the database. `ETag` and
 * `If-None-Match` (304) come from the same entries.
 */
export class ResponseCache extends TaggedCache<CachedAnswer> {
  storeBody(fill: Fill<CachedAnswer>, body: Buffer): Entry<CachedAnswer> | undefined {
    if (!this.fresh(fill)) return undefined;
    return this.store(fill, { body, etag: `W/"${createHash('sha1').update(body).digest('base64url')}"` }, body.length);
  }
}

/** What a cached answer says about itself: its ETag, revalidate each time, and what it varies by. */
const cachedHeaders = (reply: FastifyReply, etag: string) =>
  reply
    .header('etag', etag)
    .header('cache-control', 'no-cache')
    .header('vary', 'Cookie, Authorization, Accept-Language');

function sendEntry(request: FastifyRequest, reply: FastifyReply, { value: entry }: Entry<CachedAnswer>) {
  cachedHeaders(reply, entry.etag);
  if (request.headers['if-none-match'] === entry.etag) return reply.code(304).send();
  return reply.header('content-type', JSON_TYPE).send(entry.body);
}

/**
 * Serves and fills the cache for routes that opt in (`config.anonymousCache`). Registered after
 * the session hook: it needs to know the request is anonymous.
 */
export function registerResponseCache(app: App, cache: ResponseCache): void {
  app.decorateRequest('cacheFill', null);
  app.addHook('onRequest', async (request, reply) => {
    const tagsOf = request.routeOptions.config.anonymousCache;
    if (!tagsOf || (request.method !== 'GET' && request.method !== 'HEAD')) return;
    if (request.user !== null || request.apiToken !== null || !cache.enabled) return;
    const key = `${cacheLanguage(request.headers['accept-language'])} ${request.url}`;
    let entry = cache.lookup(key);
    if (!entry) {
      const reading = cache.inFlight(key);
      if (reading) entry = await reading;
    }
    if (entry) {
      cache.stats.hits++;
      if (request.headers['if-none-match'] === entry.value.etag) cache.stats.notModified++;
      return sendEntry(request, reply, entry);
    }
    cache.stats.misses++;
    request.cacheFill = cache.begin(key, tagsOf(request));
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const fill = request.cacheFill;
    if (!fill) return payload;
    request.cacheFill = null;
    const entry =
      reply.statusCode === 200 && typeof payload === 'string' ? cache.storeBody(fill, Buffer.from(payload)) : undefined;
    fill.done(entry);
    if (entry) cachedHeaders(reply, entry.value.etag);
    return payload;
  });
  // an answer that never reached onSend (the client went away): concurrent misses must not wait forever
  const release = async (request: FastifyRequest) => {
    request.cacheFill?.done(undefined);
    request.cacheFill = null;
  };
  app.addHook('onResponse', release);
  app.addHook('onRequestAbort', release);
}
