import type { User } from 'lucia';
import type { Tx } from '../db/tx';
import { findPost } from '../forum/queries';
import { notFound } from '../http/errors';

/**
 * Bookmarks a post the member can see, or takes the bookmark back (both idempotent). A deleted
 * post can still be un-bookmarked, never bookmarked.
 */
export async function setBookmark(tx: Tx, user: User, postId: number, bookmarked: boolean): Promise<boolean> {
  if (!bookmarked) {
    await tx.deleteFrom('bookmarks').where('user_id', '=', user.id).where('post_id', '=', postId).execute();
    return false;
  }
  // the post as this member may see it (404 for a post of a thread they may not read)
  const post = await findPost(tx, user, postId);
  if (post.deleted_at !== null || post.thread_deleted_at !== null) throw notFound('The post');
  await tx
    .insertInto('bookmarks')
    .values({ user_id: user.id, post_id: postId })
    .onConflict((oc) => oc.doNothing())
    .execute();
  return true;
}
