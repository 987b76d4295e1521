import { allow, type Decision, deny, ErrorCodes } from '@fanlab/shared';
import type { User } from 'lucia';
import { can, isSilenced, isStaff } from '../auth/policy';
import type { CategoryRow, PostRow, ThreadRow } from '../db/schema';

/** Who asks: a signed-in user (their role and sanctions), or null (anonymous). */
/** Who asks; `trust_level` where a rule depends on it (absent: not a new member). */
export type Viewer = (Pick<User, 'id' | 'role' | 'silenced_until'> & Partial<Pick<User, 'trust_level'>>) | null;

/**
 * The forum's rules of who may do what, each a pure predicate: allowed, or refused with the error
 * code the rule throws (`enforce`). Rules, routes and presenters (the `can*` flags) ask these,
 * never `role` directly. A silenced member may read, and delete their own posts, but not start
 * threads, reply, edit, rename or like. Their table is forum/policy.test.ts.
 */
export const forumPolicy = {
  /** Create, change and delete categories. */
  manageCategories(user: Viewer): Decision {
    if (user === null) return deny(ErrorCodes.unauthenticated);
    return can(user, 'manageCategories') ? allow : deny(ErrorCodes.forbidden);
  },

  /** Members start threads where everyone may; staff anywhere. */
  startThread(user: Viewer, category: Pick<CategoryRow, 'who_can_start'>): Decision {
    if (user === null) return deny(ErrorCodes.unauthenticated);
    if (isSilenced(user)) return deny(ErrorCodes.silenced);
    if (category.who_can_start === 'staff' && !isStaff(user)) return deny(ErrorCodes.forbidden);
    return allow;
  },

  /** A deleted thread (and everything in it) exists for staff only. */
  seeThread(user: Viewer, thread: Pick<ThreadRow, 'deleted_at'>): Decision {
    return thread.deleted_at === null || isStaff(user) ? allow : deny(ErrorCodes.notFound);
  },

  /** The new and unread lists are the reader's own. */
  seeReadState(user: Viewer): Decision {
    return user === null ? deny(ErrorCodes.unauthenticated) : allow;
  },

  /** Staff may still reply in a locked thread; nobody in a deleted one. */
  reply(user: Viewer, thread: Pick<ThreadRow, 'locked_at' | 'deleted_at'>): Decision {
    if (user === null) return deny(ErrorCodes.unauthenticated);
    if (isSilenced(user)) return deny(ErrorCodes.silenced);
    if (thread.deleted_at !== null) return deny(ErrorCodes.notFound);
    if (thread.locked_at !== null && !isStaff(user)) return deny(ErrorCodes.threadLocked);
    return allow;
  },

  editTitle(user: Viewer, thread: Pick<ThreadRow, 'author_id' | 'deleted_at'>): Decision {
    if (user === null) return deny(ErrorCodes.unauthenticated);
    if (isSilenced(user)) return deny(ErrorCodes.silenced);
    if (thread.deleted_at !== null) return deny(ErrorCodes.forbidden);
    return thread.author_id === user.id || isStaff(user) ? allow : deny(ErrorCodes.forbidden);
  },

  /**
   * Staff delete any thread; its author while nobody else has replied (`othersReplied`: a reply
   * by someone else, not deleted, is in the thread).
   */
  deleteThread(user: Viewer, thread: Pick<ThreadRow, 'author_id' | 'deleted_at'>, othersReplied: boolean): Decision {
    if (user === null) return deny(ErrorCodes.unauthenticated);
    if (thread.deleted_at !== null) return deny(ErrorCodes.notFound);
    if (isStaff(user)) return allow;
    if (thread.author_id !== user.id) return deny(ErrorCodes.forbidden);
    return othersReplied ? deny(ErrorCodes.hasReplies) : allow;
  },

  /** Pin, lock, unlist and move threads. */
  moderateThread(user: Viewer): Decision {
    if (user === null) return deny(ErrorCodes.unauthenticated);
    return isStaff(user) ? allow : deny(ErrorCodes.forbidden);
  },

  /**
   * Move posts from `source` to another thread (staff). A deleted thread, at either end, is gone:
   * restore it first. `destination` is omitted when the posts go to a new thread (or when the
   * thread page asks whether to offer the action).
   */
  movePosts(
    user: Viewer,
    source: Pick<ThreadRow, 'deleted_at'>,
    destination?: Pick<ThreadRow, 'deleted_at'>,
  ): Decision {
    if (user === null) return deny(ErrorCodes.unauthenticated);
    if (!can(user, 'moderate')) return deny(ErrorCodes.forbidden);
    if (source.deleted_at !== null || (destination && destination.deleted_at !== null))
      return deny(ErrorCodes.notFound);
    return allow;
  },

  /** Restore deleted threads and posts. */
  restore(user: Viewer): Decision {
    if (user === null) return deny(ErrorCodes.unauthenticated);
    return isStaff(user) ? allow : deny(ErrorCodes.forbidden);
  },

  editPost(user: Viewer, post: Pick<PostRow, 'author_id' | 'deleted_at'>): Decision {
    if (user === null) return deny(ErrorCodes.unauthenticated);
    if (isSilenced(user)) return deny(ErrorCodes.silenced);
    if (post.deleted_at !== null) return deny(ErrorCodes.forbidden);
    return post.author_id === user.id || isStaff(user) ? allow : deny(ErrorCodes.forbidden);
  },

  /** Authors delete their posts (silenced or not), staff anyone's; a deleted post is gone. */
  deletePost(user: Viewer, post: Pick<PostRow, 'author_id' | 'deleted_at'>): Decision {
    if (user === null) return deny(ErrorCodes.unauthenticated);
    if (post.deleted_at !== null) return deny(ErrorCodes.notFound);
    return post.author_id === user.id || isStaff(user) ? allow : deny(ErrorCodes.forbidden);
  },

  /** A post hidden by flags is not liked while it waits (readers see only its placeholder). */
  likePost(user: Viewer, post: Pick<PostRow, 'author_id' | 'deleted_at' | 'hidden_at'>): Decision {
    if (user === null) return deny(ErrorCodes.unauthenticated);
    if (isSilenced(user)) return deny(ErrorCodes.silenced);
    if (post.deleted_at !== null) return deny(ErrorCodes.notFound);
    if (post.author_id === user.id) return deny(ErrorCodes.ownPost);
    return post.hidden_at !== null ? deny(ErrorCodes.notFound) : allow;
  },

  /**
   * Members flag others' posts for moderators, once each; a silenced member may not. A deleted
   * post, or one in a deleted thread, is gone: nobody flags it, staff neither (there is nothing
   * left to hide). (Trust-level limits join here when trust levels exist.)
   */
  flagPost(
    user: Viewer,
    post: Pick<PostRow, 'author_id' | 'deleted_at'>,
    thread: Pick<ThreadRow, 'deleted_at'>,
    flaggedAlready: boolean,
    /** Site setting: members at trust level 0 may flag. */
    newMembersMayFlag = true,
  ): Decision {
    if (user === null) return deny(ErrorCodes.unauthenticated);
    if (isSilenced(user)) return deny(ErrorCodes.silenced);
    if (post.deleted_at !== null || thread.deleted_at !== null) return deny(ErrorCodes.notFound);
    if (post.author_id === user.id) return deny(ErrorCodes.ownPost);
    if (user.trust_level === 0 && !newMembersMayFlag && !isStaff(user)) return deny(ErrorCodes.newMemberLimit);
    return flaggedAlready ? deny(ErrorCodes.alreadyFlagged) : allow;
  },

  /** Deleted posts' text and edit histories. */
  seeHistory(user: Viewer): Decision {
    if (user === null) return deny(ErrorCodes.unauthenticated);
    return isStaff(user) ? allow : deny(ErrorCodes.forbidden);
  },
};
