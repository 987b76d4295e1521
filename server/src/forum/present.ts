import type { Category, Post, RevisionList, ThreadDetail, ThreadSummary } from '@fanlab/shared';
import type { User } from 'lucia';
import type { CategoryRow, NotificationLevel, ThreadRow } from '../db/schema';
import { forumPolicy } from './policy';
import type { PostRowWithAuthor, SummaryRow } from './queries';

/** Threads are "new" to a reader for this long after they were created. */
export const NEW_FOR_DAYS = 14;

export function toCategory(row: CategoryRow, viewer: User | null): Category {
  return {
    id: row.id,
    parentId: row.parent_id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    color: row.color,
    position: row.position,
    locale: row.locale,
    allowDiscussions: row.allow_discussions,
    allowIdeas: row.allow_ideas,
    whoCanStart: row.who_can_start,
    threadCount: row.thread_count,
    voteBudget: row.vote_budget,
    canStartThread: forumPolicy.startThread(viewer, row).ok,
  };
}

export function toThreadSummary(row: SummaryRow, viewer: Pick<User, 'id' | 'created_at'> | null): ThreadSummary {
  const read = row.last_read_post_number ?? null;
  const newSince = viewer
    ? Math.max(Date.now() - NEW_FOR_DAYS * 86_400_000, viewer.created_at.getTime())
    : Number.POSITIVE_INFINITY;
  return {
    id: row.id,
    categoryId: row.category_id,
    kind: row.kind,
    title: row.title,
    author: { id: row.author_id, username: row.author_username },
    lastPoster: { id: row.last_poster_id, username: row.last_poster_username },
    createdAt: row.created_at.toISOString(),
    bumpedAt: row.bumped_at.toISOString(),
    replyCount: row.post_count - 1,
    likeCount: row.like_count,
    highestPostNumber: row.highest_post_number,
    pinned: row.pinned_at !== null,
    locked: row.locked_at !== null,
    deleted: row.deleted_at !== null,
    unreadCount: read === null ? 0 : Math.max(0, row.highest_post_number - read),
    isNew: viewer !== null && read === null && row.created_at.getTime() > newSince,
  };
}

/** A thread row with what its page shows beside it (getThreadDetail reads it). */
export interface ThreadDetailRow extends ThreadRow {
  author_username: string;
  last_read_post_number: number | null;
  /** A reply by someone else stands in the thread; read only for its author (false for anyone else). */
  others_replied: boolean;
  /** The reader's notification level in force (absent: anonymous, normal). */
  notification_level?: NotificationLevel;
  category: CategoryRow;
}

/** Site settings the post flags depend on (the routes pass the ones in force). */
export interface PostViewRules {
  /** Members at trust level 0 may flag (site setting newMemberCanFlag). */
  newMembersMayFlag: boolean;
}
const openRules: PostViewRules = { newMembersMayFlag: true };

/** A thread with one page of its posts: `posts` holds up to `limit + 1` (one more: there is a next page). */
export function toThreadDetail(
  row: ThreadDetailRow,
  posts: PostRowWithAuthor[],
  viewer: User | null,
  limit: number,
  rules: PostViewRules = openRules,
): ThreadDetail {
  const more = posts.length > limit;
  const page = more ? posts.slice(0, limit) : posts;
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    category: toCategory(row.category, viewer),
    author: { id: row.author_id, username: row.author_username },
    createdAt: row.created_at.toISOString(),
    bumpedAt: row.bumped_at.toISOString(),
    // a thread whose posts all moved away (deleted) has none
    replyCount: Math.max(0, row.post_count - 1),
    likeCount: row.like_count,
    highestPostNumber: row.highest_post_number,
    pinned: row.pinned_at !== null,
    pinnedUntil: row.pinned_at !== null ? (row.pinned_until?.toISOString() ?? null) : null,
    locked: row.locked_at !== null,
    unlisted: row.unlisted,
    deleted: row.deleted_at !== null,
    lastReadPostNumber: row.last_read_post_number ?? 0,
    notificationLevel: row.notification_level ?? 'normal',
    canReply: forumPolicy.reply(viewer, row).ok,
    canModerate: forumPolicy.moderateThread(viewer).ok,
    canMovePosts: forumPolicy.movePosts(viewer, row).ok,
    canEditTitle: forumPolicy.editTitle(viewer, row).ok,
    canDelete: forumPolicy.deleteThread(viewer, row, row.others_replied).ok,
    canRestore: forumPolicy.restore(viewer).ok,
    posts: page.map((p) => toPost(p, viewer, rules)),
    nextAfter: more ? (page[page.length - 1]?.post_number ?? null) : null,
  };
}

export function toPost(row: PostRowWithAuthor, viewer: User | null, rules: PostViewRules = openRules): Post {
  const deleted = row.deleted_at !== null;
  const hidden = row.hidden_at !== null;
  const mayReadDeleted = forumPolicy.seeHistory(viewer).ok;
  const own = viewer !== null && viewer.id === row.author_id;
  const mayReadHidden = own || mayReadDeleted;
  return {
    id: row.id,
    threadId: row.thread_id,
    postNumber: row.post_number,
    author: { id: row.author_id, username: row.author_username },
    replyToPostNumber: row.reply_to_post_number,
    cooked: (deleted && !mayReadDeleted) || (hidden && !mayReadHidden) ? '' : row.cooked,
    raw: (own && !deleted) || mayReadDeleted ? row.raw : null,
    createdAt: row.created_at.toISOString(),
    editedAt: row.edited_at?.toISOString() ?? null,
    revision: row.revision,
    likeCount: row.like_count,
    likedByMe: row.liked_by_me,
    bookmarkedByMe: row.bookmarked_by_me,
    deleted,
    hidden,
    hiddenReason: hidden && mayReadHidden ? row.hidden_reason : null,
    hiddenPending: hidden && row.hidden_by === null,
    canEdit: forumPolicy.editPost(viewer, row).ok,
    canFlag: forumPolicy.flagPost(
      viewer,
      row,
      { deleted_at: row.thread_deleted_at },
      row.flagged_by_me,
      rules.newMembersMayFlag,
    ).ok,
    canDelete: forumPolicy.deletePost(viewer, row).ok,
    canLike: forumPolicy.likePost(viewer, row).ok,
    canSeeHistory: mayReadDeleted,
    canRestore: forumPolicy.restore(viewer).ok,
  };
}

interface RevisionRow {
  revision: number;
  raw: string;
  title: string | null;
  created_at: Date;
  editor_id: number;
  editor_username: string;
}

/** A post's edit history, newest first; `current` is the post's revision now. */
export function toRevisionList(current: number, rows: RevisionRow[]): RevisionList {
  return {
    current,
    revisions: rows.map((r) => ({
      revision: r.revision,
      raw: r.raw,
      title: r.title,
      editor: { id: r.editor_id, username: r.editor_username },
      createdAt: r.created_at.toISOString(),
    })),
  };
}
