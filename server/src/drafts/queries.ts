import type { Draft } from '@fanlab/shared';
import type { Db } from '../db/connect';
import { toDraft } from './present';

/** The member's own draft for a place (shared/drafts.ts), or null. */
export async function findDraft(db: Db, userId: number, key: string): Promise<Draft | null> {
  const row = await db
    .selectFrom('drafts')
    .select(['key', 'title', 'body', 'saved_at'])
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .executeTakeFirst();
  return row ? toDraft(row) : null;
}
