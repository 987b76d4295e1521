import { UserChannelEvents } from '@fanlab/shared';
import type { Session, User } from 'lucia';
import type { LiveMessage } from '../db/bus';
import { CACHE_CHANNEL } from '../http/response-cache';

interface Entry {
  session: Session;
  user: User;
  at: number;
}

/** A lookup under way: stored only if nothing was dropped meanwhile. */
export interface SessionRead {
  epoch: number;
}

export interface SessionCacheOptions {
  /** Sessions kept at most (the oldest go first). 0: no cache. */
  maxEntries: number;
  /** A session is looked up again after this long (so its expiry moves on, as Lucia extends it). */
  maxAgeMs: number;
}

/**
 * Signed-in requests' sessions and accounts, in this process: a member's every request needed one
 * query for them. An entry goes when the database announces its member changed or one of their
 * sessions ended (migration 0029: triggers on users and sessions, on the live bus, heard by every
 * process within the live update delay), when a `sessions_revoked` message names the member, when
 * this process ended the session itself (at once), and after `maxAgeMs`. A lookup that began
 * before any drop is not stored, so an ended session cannot slip back in; while the listener is
 * away nothing is served from memory.
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

  lookup(sessionId: string): Entry | undefined {
    if (!this.enabled) return undefined;
    const entry = this.entries.get(sessionId);
    if (!entry) return undefined;
    if (Date.now() - entry.at > this.options.maxAgeMs || entry.session.expiresAt.getTime() <= Date.now()) {
      this.remove(sessionId);
      return undefined;
    }
    this.stats.hits++;
    return entry;
  }

  begin(): SessionRead {
    return { epoch: this.epoch };
  }

  store(read: SessionRead, session: Session, user: User): void {
    if (!this.enabled || read.epoch !== this.epoch) return;
    this.remove(session.id);
    this.entries.set(session.id, { session, user, at: Date.now() });
    const ids = this.byUser.get(user.id) ?? new Set<string>();
    ids.add(session.id);
    this.byUser.set(user.id, ids);
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.remove(oldest);
    }
  }

  /** Every cached session of this member goes (their account changed, or a session of theirs ended). */
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

  private remove(sessionId: string) {
    const entry = this.entries.get(sessionId);
    if (!entry) return;
    this.entries.delete(sessionId);
    const ids = this.byUser.get(entry.user.id);
    ids?.delete(sessionId);
    if (ids?.size === 0) this.byUser.delete(entry.user.id);
  }
}
