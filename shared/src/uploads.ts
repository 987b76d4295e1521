import { type Static, Type } from 'typebox';

/**
 * Image uploads (docs/uploads.md): a member sends an image's bytes, Fanlab re-encodes it (WebP,
 * at most UPLOAD_MAX_EDGE pixels on its longer side, turned upright, every metadata block such as
 * EXIF and GPS left out) and stores it under the hash of what it wrote.
 */
export const UPLOAD_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
export const UPLOAD_MAX_EDGE = 2048;
/** Uploads a member may make in any 24 hours, by trust level (staff: the last one). */
export const UPLOADS_PER_DAY = { 0: 10, 1: 50, 2: 200, 3: 500, staff: 1000 } as const;

/** Where Fanlab serves an upload: `/api/uploads/<sha256 hex>.webp`. */
export const UPLOAD_PATH_PATTERN = '^/api/uploads/[0-9a-f]{64}\\.webp$';

export const Upload = Type.Object({
  /** The stored file's name: sha256 of its bytes, hex, and `.webp`. */
  key: Type.String(),
  /** Site-relative: put it in a post as `![description](url)`. */
  url: Type.String(),
  width: Type.Integer(),
  height: Type.Integer(),
  bytes: Type.Integer(),
  /** Uploads left to the member in the last 24 hours. */
  remainingToday: Type.Integer(),
});
export type Upload = Static<typeof Upload>;

export const UploadKeyParams = Type.Object({
  key: Type.String({ pattern: '^[0-9a-f]{64}\\.webp$', description: 'sha256 of the stored image, hex, .webp' }),
});
