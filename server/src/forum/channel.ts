import { ThreadChannelEvents } from '@fanlab/shared';
import { sql } from 'kysely';
import type { ChannelKind } from '../live/hub';
import { forumPolicy } from './policy';

const CATCH_UP_MAX = 200;

/**
 * `thread:<id>`: new and changed posts of a thread. Anyone who may see the thread may read it.
 * Its cursor is the highest post number: subscribing with one replays the posts created since.
 */
export const threadChannel: ChannelKind = {
  async authorize(user, key, db) {
    const id = Number(key);
    if (!Number.isSafeInteger(id)) return false;
    const thread = await db.selectFrom('threads').select('deleted_at').where('id', '=', id).executeTakeFirst();
    return thread !== undefined && forumPolicy.seeThread(user, thread).ok;
  },
  async catchUp(db, key, cursor) {
    const rows = await db
      .selectFrom('posts')
      .select(['post_number', 'author_id'])
      .where('thread_id', '=', Number(key))
      // The cursor may exceed `integer` (it is any safe integer): compare as bigint.
      .where(sql<boolean>`post_number > ${cursor}::bigint`)
      .orderBy('post_number')
      .limit(CATCH_UP_MAX + 1)
      .execute();
    if (rows.length > CATCH_UP_MAX) return null;
    return {
      cursor: rows[rows.length - 1]?.post_number ?? cursor,
      events: rows.map((r) => ({
        channel: `thread:${key}`,
        event: ThreadChannelEvents.postCreated,
        cursor: r.post_number,
        data: { postNumber: r.post_number, authorId: r.author_id },
      })),
    };
  },
};
