import { TOKENS_PER_USER } from '@fanlab/shared';
import { sql } from 'kysely';
import type { User } from 'lucia';
import { SIGNED_IN_USER_COLUMNS } from '../auth/sessions';
import type { Db } from '../db/connect';
import type { Tx } from '../db/tx';
import { toApiToken } from './present';

/** The token whose secret has this hash and its owner (as a signed-in request carries them), or undefined. */
export async function findToken(db: Db, hash: string) {
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'api_tokens.id as token_id',
      'api_tokens.scopes',
      'api_tokens.expires_at',
      'api_tokens.revoked_at',
      'api_tokens.last_used_at',
      ...SIGNED_IN_USER_COLUMNS,
    ])
    .where('api_tokens.secret_hash', '=', hash)
    .executeTakeFirst();
  if (!row) return undefined;
  const { token_id, scopes, expires_at, revoked_at, last_used_at, ...user } = row;
  return {
    token: { id: token_id, scopes, expiresAt: expires_at, revokedAt: revoked_at, lastUsedAt: last_used_at },
    user: user as User,
  };
}

/** A member's tokens, newest first: live and revoked ones, and expired ones for 30 days. */
export async function listTokens(db: Db, userId: number) {
  const rows = await db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'scopes', 'prefix', 'created_at', 'expires_at', 'last_used_at', 'revoked_at'])
    .where('user_id', '=', userId)
    .where('expires_at', '>', sql<Date>`now() - interval '30 days'`)
    .orderBy('id', 'desc')
    .execute();
  const now = new Date();
  return { items: rows.map((r) => toApiToken(r, now)), max: TOKENS_PER_USER };
}

/** How many live tokens a member holds (their row locked by the caller). */
export async function liveTokenCount(tx: Tx, userId: number): Promise<number> {
  const row = await tx
    .selectFrom('api_tokens')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
