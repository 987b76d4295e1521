import { type CreateTokenBody, ErrorCodes, TOKENS_PER_USER } from '@fanlab/shared';
import { sql } from 'kysely';
import type { User } from 'lucia';
import { writeAudit } from '../audit/log';
import type { Tx } from '../db/tx';
import { AppError, enforce, notFound } from '../http/errors';
import { tokenPolicy } from './policy';
import { toApiToken } from './present';
import { liveTokenCount } from './queries';
import { displayPrefix, newSecret, secretHash } from './secrets';

/**
 * Creates a personal API token for `owner`: the secret is returned once and only its hash is
 * kept. At most TOKENS_PER_USER live tokens per member (their row locked while counting, so
 * racing requests cannot pass it). Audited, without the secret.
 */
export async function createToken(tx: Tx, owner: User, body: CreateTokenBody) {
  enforce(tokenPolicy.hold(owner));
  await tx.selectFrom('users').select('id').where('id', '=', owner.id).forUpdate().executeTakeFirstOrThrow();
  if ((await liveTokenCount(tx, owner.id)) >= TOKENS_PER_USER) {
    throw new AppError(
      409,
      ErrorCodes.tooManyTokens,
      `You hold ${TOKENS_PER_USER} live tokens, the most allowed: revoke one first.`,
    );
  }
  const secret = newSecret();
  const row = await tx
    .insertInto('api_tokens')
    .values({
      user_id: owner.id,
      name: body.name.trim(),
      secret_hash: secretHash(secret),
      prefix: displayPrefix(secret),
      scopes: [...new Set(body.scopes)],
      expires_at: sql<Date>`now() + make_interval(days => ${body.expiresInDays})`,
    })
    .returning(['id', 'name', 'scopes', 'prefix', 'created_at', 'expires_at', 'last_used_at', 'revoked_at'])
    .executeTakeFirstOrThrow();
  await writeAudit(tx, {
    actorId: owner.id,
    action: 'user.token_created',
    targetId: owner.id,
    data: { token: row.id, name: row.name, scopes: row.scopes, expiresAt: row.expires_at.toISOString() },
  });
  return { token: toApiToken(row), secret };
}

/** Revokes one of the owner's tokens (idempotent: a revoked one stays revoked). */
export async function revokeToken(tx: Tx, owner: User, tokenId: number) {
  const row = await tx
    .selectFrom('api_tokens')
    .select(['id', 'name', 'revoked_at'])
    .where('id', '=', tokenId)
    .where('user_id', '=', owner.id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound('The token');
  if (row.revoked_at) return;
  await tx.updateTable('api_tokens').set({ revoked_at: sql<Date>`now()` }).where('id', '=', row.id).execute();
  await writeAudit(tx, {
    actorId: owner.id,
    action: 'user.token_revoked',
    targetId: owner.id,
    data: { token: row.id, name: row.name },
  });
}

/**
 * Revokes every live token of a member: sessions, tokens and sockets end together (signing out
 * everywhere, a password change, a suspension: auth/actions.ts endAllSessions).
 */
export async function revokeAllTokens(tx: Tx, userId: number): Promise<void> {
  await tx
    .updateTable('api_tokens')
    .set({ revoked_at: sql<Date>`now()` })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}
