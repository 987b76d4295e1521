import type { Bookmark } from '@fanlab/shared';
import { sql } from 'kysely';
import type { User } from 'lucia';
import type { Db } from '../db/connect';
import { excerpt } from '../forum/markdown';
import { listedThread } from '../forum/queries';
import { decodeCursor, toPage } from '../http/pagination';

/**
 * The member's bookmarks, newest first, keyset-paged (the cursor is the last post's id, resolved
 * to when it was bookmarked). Posts since deleted, hidden or moved out of the member's sight are
 * (or their thread unlisted) are left out of the list, not forgotten: they come back if the post does.
 */
export async function listBookmarks(db: Db, user: User, limit: number, cursor?: string) {
  const after = decodeCursor(cursor, ['id']);
  let query = db
    .selectFrom('bookmarks as b')
    .innerJoin('posts as p', 'p.id', 'b.post_id')
    .innerJoin('threads as t', 't.id', 'p.thread_id')
    .innerJoin('users as author', 'author.id', 'p.author_id')
    .select([
      'p.id as post_id',
      't.id as thread_id',
      't.title',
      'p.post_number',
      'p.cooked',
      'author.id as author_id',
      'author.username as author_username',
      'b.created_at',
    ])
    .where('b.user_id', '=', user.id)
    .where('p.deleted_at', 'is', null)
    .where('p.hidden_at', 'is', null)
    .where(listedThread('t'))
    .orderBy('b.created_at', 'desc')
    .orderBy('b.post_id', 'desc')
    .limit(sql.lit(limit + 1));
  if (after) {
    query = query.where(
      sql<boolean>`(b.created_at, b.post_id) < (select created_at, post_id from bookmarks
                    where user_id = ${user.id} and post_id = ${after[0]})`,
    );
  }
  const rows = await query.execute();
  return toPage(
    rows,
    limit,
    (r): Bookmark => ({
      postId: r.post_id,
      threadId: r.thread_id,
      threadTitle: r.title,
      postNumber: r.post_number,
      author: { id: r.author_id, username: r.author_username },
      excerpt: excerpt(r.cooked),
      bookmarkedAt: r.created_at.toISOString(),
    }),
    (r) => [r.post_id],
  );
}
