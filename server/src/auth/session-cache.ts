import { UserChannelEvents } from '@fanlab/shared';
import type { Session, User } from 'lucia';
import type { LiveMessage } from '../db/bus';
import { CACHE_CHANNEL } from '../http/response-cache';

/** An API token as a bearer request needs it (tokens/bearer.ts). */
export interface CachedToken {
  id: number;
  scopes: string[];
  expiresAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/** A session or an API token, with its member. */
interface Entry {
  user: User;
  session?: Session;
  token?: CachedToken;
  expiresAt: Date;
  at: number;
}

/** A token's key: the hash of its secret (the secret itself is never kept); apart from session ids. */
const tokenKey = (secretHash: string) => `token:${secretHash}`;

/** A lookup under way: stored only if nothing was dropped meanwhile. */
export interface SessionRead {
  epoch: number;
}

export interface SessionCacheOptions {
  /** Sessions and tokens kept at most (the oldest go first). 0: no cache. */
  maxEntries: number;
  /** An entry is looked up again after this long (so a session's expiry moves on, as Lucia extends it). */
  maxAgeMs: number;
}

/**
 * Signed-in requests' sessions and API tokens with their accounts, in this process: a member's
 * every request needed one query for them. An entry goes when the database announces its member
 * changed, one of their sessions ended or one of their tokens was revoked or changed (migrations
 * 0029 and 0030: triggers on users, sessions and api_tokens, on the live bus, heard by every
 * process within the live update delay), when a `sessions_revoked` message names the member, when
 * this process ended the session or revoked the token itself (at once), and after `maxAgeMs`. A
 * lookup that began before any drop is not stored, so an ended session or a revoked token cannot
 * slip back in; while the listener is away nothing is served from memory.
 */
export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  private readonly byUser = new Map<number, Set<string>>();
  private epoch = 0;
  private connected = false;
  readonly stats = { hits: 0 };

  constructor(private readonly options: SessionCacheOptions) {}

  get enabled(): boolean {
    return this.options.maxEntries > 0 && this.connected;
  }

  resume(): void {
    this.clear();
    this.connected = true;
  }

  suspend(): void {
    this.connected = false;
    this.clear();
  }

  lookup(sessionId: string): (Entry & { session: Session }) | undefined {
    const entry = this.find(sessionId);
    return entry?.session ? (entry as Entry & { session: Session }) : undefined;
  }

  lookupToken(secretHash: string): (Entry & { token: CachedToken }) | undefined {
    const entry = this.find(tokenKey(secretHash));
    return entry?.token ? (entry as Entry & { token: CachedToken }) : undefined;
  }

  begin(): SessionRead {
    return { epoch: this.epoch };
  }

  store(read: SessionRead, session: Session, user: User): void {
    this.keep(read, session.id, { session, user, expiresAt: session.expiresAt, at: Date.now() });
  }

  storeToken(read: SessionRead, secretHash: string, token: CachedToken, user: User): void {
    this.keep(read, tokenKey(secretHash), { token, user, expiresAt: token.expiresAt, at: Date.now() });
  }

  private find(key: string): Entry | undefined {
    if (!this.enabled) return undefined;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (Date.now() - entry.at > this.options.maxAgeMs || entry.expiresAt.getTime() <= Date.now()) {
      this.remove(key);
      return undefined;
    }
    this.stats.hits++;
    return entry;
  }

  private keep(read: SessionRead, key: string, entry: Entry): void {
    if (!this.enabled || read.epoch !== this.epoch) return;
    this.remove(key);
    this.entries.set(key, entry);
    const keys = this.byUser.get(entry.user.id) ?? new Set<string>();
    keys.add(key);
    this.byUser.set(entry.user.id, keys);
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.remove(oldest);
    }
  }

  /** Every cached session and token of this member goes (their account changed, or a session or token of theirs ended). */
  dropUser(userId: number): void {
    this.epoch++;
    for (const id of this.byUser.get(userId) ?? []) this.remove(id);
  }

  clear(): void {
    this.epoch++;
    this.entries.clear();
    this.byUser.clear();
  }

  heard(message: LiveMessage): void {
    if (message.channel === CACHE_CHANNEL && message.event === 'users') {
      const ids = (message.data as { ids?: unknown } | null)?.ids;
      if (!Array.isArray(ids)) this.clear();
      else for (const id of ids) if (Number.isSafeInteger(id)) this.dropUser(id as number);
    } else if (message.channel === CACHE_CHANNEL && message.event === 'all') {
      this.clear();
    } else if (message.channel.startsWith('user:') && message.event === UserChannelEvents.sessionsRevoked) {
      const userId = Number(message.channel.slice('user:'.length));
      if (Number.isSafeInteger(userId)) this.dropUser(userId);
    }
  }

  private remove(key: string) {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    const keys = this.byUser.get(entry.user.id);
    keys?.delete(key);
    if (keys?.size === 0) this.byUser.delete(entry.user.id);
  }
}
