import type { CreatedToken, CreateTokenBody, TokenList } from '@fanlab/shared';
import { apiDelete, apiGet, apiPost } from './client';

/** GET /api/me/tokens (staff and product managers) */
export function listTokens(): Promise<TokenList> {
  return apiGet<TokenList>('/api/me/tokens');
}

/** POST /api/me/tokens: the answer holds the secret, shown this once. */
export function createToken(body: CreateTokenBody): Promise<CreatedToken> {
  return apiPost<CreatedToken>('/api/me/tokens', body);
}

/** DELETE /api/me/tokens/:id */
export function revokeToken(id: number): Promise<void> {
  return apiDelete<void>(`/api/me/tokens/${id}`);
}
