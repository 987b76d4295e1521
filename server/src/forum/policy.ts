import type { User } from 'lucia';
import { isStaff } from '../auth/policy';
import type { CategoryRow, PostRow, ThreadRow } from '../db/schema';

type Viewer = Pick<User, 'id' | 'role'> | null;

/** Forum rules of who may do what; routes and rules ask these, never `role` directly. */
export const forumPolicy = {
  startThread: (user: Viewer, category: Pick<CategoryRow, 'who_can_start'>) =>
    user !== null && (category.who_can_start === 'everyone' || isStaff(user)),
  seeThread: (user: Viewer, thread: Pick<ThreadRow, 'deleted_at'>) => thread.deleted_at === null || isStaff(user),
  reply: (user: Viewer, thread: Pick<ThreadRow, 'locked_at' | 'deleted_at'>) =>
    user !== null && thread.deleted_at === null && (thread.locked_at === null || isStaff(user)),
  editPost: (user: Viewer, post: Pick<PostRow, 'author_id' | 'deleted_at'>) =>
    user !== null && post.deleted_at === null && (post.author_id === user.id || isStaff(user)),
  deletePost: (user: Viewer, post: Pick<PostRow, 'author_id' | 'deleted_at'>) =>
    user !== null && post.deleted_at === null && (post.author_id === user.id || isStaff(user)),
  likePost: (user: Viewer, post: Pick<PostRow, 'author_id' | 'deleted_at'>) =>
    user !== null && post.deleted_at === null && post.author_id !== user.id,
  /** Deleted posts' text and edit histories. */
  seeHistory: (user: Viewer) => isStaff(user),
  restore: (user: Viewer) => isStaff(user),
  editTitle: (user: Viewer, thread: Pick<ThreadRow, 'author_id' | 'deleted_at'>) =>
    user !== null && thread.deleted_at === null && (thread.author_id === user.id || isStaff(user)),
};
