import { ErrorCodes } from '@fanlab/shared';
import { sql } from 'kysely';
import type { User } from 'lucia';
import type { Db } from '../db/connect';
import type { Tx } from '../db/tx';
import { AppError } from '../http/errors';
import { dailyUploadLimit } from './policy';
import type { Reencoded } from './process';
import type { UploadStore } from './store';

const DAY_MS = 86_400_000;

/**
 * Takes one upload of the member's quota for the last 24 hours (uploads/policy.ts), before any
 * work on the image: a row without key. One member's reservations take turns on an advisory
 * lock, so a burst cannot all pass the count. Returns the row and the uploads left today; 429
 * `upload_quota` when none are.
 */
export async function reserveUpload(tx: Tx, user: User): Promise<{ id: number; remainingToday: number }> {
  const limit = dailyUploadLimit(user);
  await sql`select pg_advisory_xact_lock(hashtextextended(${`uploader:${user.id}`}, 0))`.execute(tx);
  const used = await tx
    .selectFrom('uploads')
    .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.min('created_at').as('oldest')])
    .where('user_id', '=', user.id)
    .where('created_at', '>', sql<Date>`now() - interval '24 hours'`)
    .executeTakeFirstOrThrow();
  const count = Number(used.n);
  if (count >= limit) {
    const oldest = used.oldest ? new Date(used.oldest).getTime() : Date.now();
    const retryAfter = Math.max(1, Math.ceil((oldest + DAY_MS - Date.now()) / 1000));
    throw new AppError(
      429,
      ErrorCodes.uploadQuota,
      `You have uploaded ${limit} images in the last 24 hours, the most your trust level allows. Try again later.`,
      { limit, retryAfter },
      { 'retry-after': String(retryAfter) },
    );
  }
  const row = await tx.insertInto('uploads').values({ user_id: user.id }).returning('id').executeTakeFirstOrThrow();
  return { id: row.id, remainingToday: limit - count - 1 };
}

/**
 * Stores the re-encoded image and gives the reserved row its key. The bytes are written while
 * the row's change is uncommitted: a failed write rolls it back (the caller then releases the
 * reservation); the same bytes from two members are one object.
 */
export async function completeUpload(tx: Tx, id: number, image: Reencoded, store: UploadStore): Promise<void> {
  await tx
    .updateTable('uploads')
    .set({ key: image.key, bytes: image.bytes.length, width: image.width, height: image.height })
    .where('id', '=', id)
    .execute();
  await store.put(image.key, image.bytes, 'image/webp');
}

/** Gives a reservation back (the image was refused, or could not be stored). */
export async function releaseUpload(db: Db, id: number): Promise<void> {
  await db.deleteFrom('uploads').where('id', '=', id).where('key', 'is', null).execute();
}

/** Maintenance: reservations a crashed process left behind (an hour old, still without key). */
export async function deleteAbandonedUploads(db: Db): Promise<number> {
  const result = await db
    .deleteFrom('uploads')
    .where('key', 'is', null)
    .where('created_at', '<', sql<Date>`now() - interval '1 hour'`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
