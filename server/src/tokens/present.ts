import type { ApiToken, TokenScope } from '@fanlab/shared';
import type { ApiTokenRow } from '../db/schema';

/** A token as its owner sees it in the list (never its secret or hash). */
export function toApiToken(row: Omit<ApiTokenRow, 'secret_hash' | 'user_id'>, now = new Date()): ApiToken {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes as TokenScope[],
    prefix: row.prefix,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    state: row.revoked_at ? 'revoked' : row.expires_at <= now ? 'expired' : 'active',
  };
}
