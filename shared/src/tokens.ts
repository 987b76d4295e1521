import { type Static, Type } from 'typebox';

/**
 * What a personal API token may read. A token reaches only GET routes that name one of its
 * scopes; every other route (writes, staff screens, the live channel) refuses it with 403.
 */
export const TokenScopes = ['read:ideas', 'read:exports'] as const;
export type TokenScope = (typeof TokenScopes)[number];
export const TokenScopeSchema = Type.Union([Type.Literal('read:ideas'), Type.Literal('read:exports')]);

/** The most days a token may live (it may be revoked at any time). */
export const TOKEN_MAX_DAYS = 365;
/** The most live (not revoked, not expired) tokens one member may hold. */
export const TOKENS_PER_USER = 20;

export const CreateTokenBody = Type.Object(
  {
    /** What the token is for, to recognise it in the list. */
    name: Type.String({ minLength: 1, maxLength: 80, pattern: '\\S' }),
    scopes: Type.Array(TokenScopeSchema, { minItems: 1, maxItems: TokenScopes.length, uniqueItems: true }),
    /** Days until it expires. */
    expiresInDays: Type.Integer({ minimum: 1, maximum: TOKEN_MAX_DAYS }),
  },
  { additionalProperties: false },
);
export type CreateTokenBody = Static<typeof CreateTokenBody>;

export const ApiToken = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  scopes: Type.Array(TokenScopeSchema),
  /** The token's first characters, to tell tokens apart (the secret itself is shown only once). */
  prefix: Type.String(),
  createdAt: Type.String(),
  expiresAt: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  /** active | expired | revoked */
  state: Type.Union([Type.Literal('active'), Type.Literal('expired'), Type.Literal('revoked')]),
});
export type ApiToken = Static<typeof ApiToken>;

/** The answer to creating a token: the only time its secret is shown. */
export const CreatedToken = Type.Object({
  token: ApiToken,
  /** Send as `Authorization: Bearer <secret>`. Not stored: lost, it cannot be shown again. */
  secret: Type.String(),
});
export type CreatedToken = Static<typeof CreatedToken>;

export const TokenList = Type.Object({ items: Type.Array(ApiToken), max: Type.Integer() });
export type TokenList = Static<typeof TokenList>;
