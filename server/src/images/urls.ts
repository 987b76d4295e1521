import { createHash } from 'node:crypto';

/** Longest remote image URL a post may show (longer ones render as their alt text). */
export const MAX_IMAGE_URL_LENGTH = 2048;

/** The key of a remote image: sha256 of its URL, base64url (43 characters). */
export function imageHash(url: string): string {
  return createHash('sha256').update(url).digest('base64url');
}

/** Where Fanlab serves the remote image at `url` from (see server/src/images/routes.ts). */
export function imagePath(url: string): string {
  return `/api/images/${imageHash(url)}`;
}
