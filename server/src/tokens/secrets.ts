import { createHash, randomBytes } from 'node:crypto';

/** Every token starts so: secret scanners and people can tell a Fanlab token at a glance. */
export const TOKEN_PREFIX = 'flt_';
const SECRET = /^flt_[A-Za-z0-9_-]{43}$/;

/** A new secret: 32 random bytes, base64url. */
export const newSecret = () => `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;

/** What is stored: the secret's SHA-256 (the secret has 256 bits: no salt or slow hash needed). */
export const secretHash = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** The characters shown in lists to tell tokens apart. */
export const displayPrefix = (secret: string) => secret.slice(0, TOKEN_PREFIX.length + 6);

/** The secret of an `Authorization: Bearer <secret>` header, or null when it is not one. */
export function bearerSecret(header: string): string | null {
  const match = /^Bearer +(\S+)$/i.exec(header);
  const secret = match?.[1];
  return secret && SECRET.test(secret) ? secret : null;
}
