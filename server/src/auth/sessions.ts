import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { type Adapter, type DatabaseSession, type DatabaseUser, Lucia, TimeSpan } from 'lucia';
import type { Db } from '../db/connect';
import type { UserRow } from '../db/schema';

export const SESSION_COOKIE = 'fanlab_session';

/**
 * Session ids are stored as their SHA-256, so a leaked sessions table does not hand out
 * live sessions. The cookie carries the id itself.
 */
export const sessionKey = (sessionId: string) => createHash('sha256').update(sessionId).digest('hex');
const storedId = sessionKey;

type SessionUser = Pick<
  UserRow,
  | 'id'
  | 'username'
  | 'email'
  | 'role'
  | 'locale'
  | 'created_at'
  | 'last_seen_at'
  | 'show_last_seen'
  | 'silenced_until'
  | 'silence_reason'
  | 'suspended_until'
  | 'trust_level'
>;

export interface SessionLifetimes {
  /** A session unused this long ends (Lucia extends it on use, once half of it has passed). */
  idleDays: number;
  /** A session ends this long after sign-in, however much it is used. */
  maxAgeDays: number;
}

export const defaultSessionLifetimes: SessionLifetimes = { idleDays: 30, maxAgeDays: 90 };

/** SQL: the session row `sessions` is younger than the absolute lifetime. */
const withinMaxAge = (maxAgeDays: number) =>
  sql<boolean>`sessions.created_at > now() - make_interval(days => ${maxAgeDays})`;

/**
 * The user columns a signed-in request carries (`request.user`), whether it came with a session
 * cookie or an API token (server/src/tokens/bearer.ts).
 */
export const SIGNED_IN_USER_COLUMNS = [
  'users.id',
  'users.username',
  'users.email',
  'users.role',
  'users.locale',
  'users.created_at',
  'users.last_seen_at',
  'users.show_last_seen',
  'users.silenced_until',
  'users.silence_reason',
  'users.suspended_until',
  'users.trust_level',
] as const;

/** Lucia v3 adapter over Kysely: one query to validate a session with its user. */
class KyselyAdapter implements Adapter {
  constructor(
    private readonly db: Db,
    private readonly maxAgeDays: number,
  ) {}

  async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select(['sessions.id as session_id', 'sessions.expires_at', ...SIGNED_IN_USER_COLUMNS])
      .where('sessions.id', '=', storedId(sessionId))
      .where(withinMaxAge(this.maxAgeDays))
      .executeTakeFirst();
    if (!row) return [null, null];
    const { session_id: _, expires_at, ...user } = row;
    return [
      { id: sessionId, userId: row.id, expiresAt: expires_at, attributes: {} },
      { id: row.id, attributes: user },
    ];
  }

  async getUserSessions(userId: number): Promise<DatabaseSession[]> {
    const rows = await this.db.selectFrom('sessions').selectAll().where('user_id', '=', userId).execute();
    return rows.map((r) => ({ id: r.id, userId: r.user_id, expiresAt: r.expires_at, attributes: {} }));
  }

  async setSession(session: DatabaseSession): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({ id: storedId(session.id), user_id: session.userId, expires_at: session.expiresAt })
      .execute();
  }

  async updateSessionExpiration(sessionId: string, expiresAt: Date): Promise<void> {
    // Extending never passes the absolute lifetime.
    await this.db
      .updateTable('sessions')
      .set({
        expires_at: sql<Date>`least(${expiresAt}::timestamptz, created_at + make_interval(days => ${this.maxAgeDays}))`,
      })
      .where('id', '=', storedId(sessionId))
      .execute();
  }

  async deleteSession(sessionId: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id', '=', storedId(sessionId)).execute();
  }

  async deleteUserSessions(userId: number): Promise<void> {
    await this.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }

  async deleteExpiredSessions(): Promise<void> {
    await this.db
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('expires_at', '<=', sql<Date>`now()`), eb.not(withinMaxAge(this.maxAgeDays))]))
      .execute();
  }
}

export function createLucia(db: Db, options: { secureCookies: boolean; lifetimes?: SessionLifetimes }) {
  const lifetimes = options.lifetimes ?? defaultSessionLifetimes;
  return new Lucia(new KyselyAdapter(db, lifetimes.maxAgeDays), {
    sessionExpiresIn: new TimeSpan(lifetimes.idleDays, 'd'),
    sessionCookie: {
      name: SESSION_COOKIE,
      expires: true,
      attributes: { secure: options.secureCookies, sameSite: 'lax', path: '/' },
    },
    getUserAttributes: (attributes) => attributes,
  });
}

export type Auth = ReturnType<typeof createLucia>;

declare module 'lucia' {
  interface Register {
    Lucia: ReturnType<typeof createLucia>;
    UserId: number;
    DatabaseUserAttributes: SessionUser;
  }
}

/**
 * The sessions among `keys` (sessionKey()s) that are live (not expired, user not suspended),
 * each with its user's current role. Live sockets are re-checked with it.
 */
export async function liveSessionRoles(
  db: Db,
  keys: string[],
  maxAgeDays = defaultSessionLifetimes.maxAgeDays,
): Promise<Map<string, string>> {
  if (!keys.length) return new Map();
  const rows = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.id', 'users.role'])
    .where('sessions.id', '=', sql<string>`any(${keys}::text[])`)
    .where('sessions.expires_at', '>', sql<Date>`now()`)
    .where(withinMaxAge(maxAgeDays))
    .where((eb) =>
      eb.or([eb('users.suspended_until', 'is', null), eb('users.suspended_until', '<=', sql<Date>`now()`)]),
    )
    .execute();
  return new Map(rows.map((r) => [r.id, r.role]));
}
