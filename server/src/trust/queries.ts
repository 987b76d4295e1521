import type { Db } from '../db/connect';
import type { UserRow } from '../db/schema';
import type { TrustStatsRow } from './rules';

export type TrustRow = TrustStatsRow & Pick<UserRow, 'id' | 'trust_level' | 'trust_level_locked'>;

/** A member's level and the counters it is computed from. */
export function trustRow(db: Db, userId: number): Promise<TrustRow | undefined> {
  return db
    .selectFrom('users')
    .select([
      'id',
      'trust_level',
      'trust_level_locked',
      'days_visited',
      'threads_entered',
      'posts_read',
      'read_seconds',
      'likes_given',
      'likes_received',
      'replies_posted',
      'flags_agreed',
      'flags_disagreed',
    ])
    .where('id', '=', userId)
    .executeTakeFirst();
}
