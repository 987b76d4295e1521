import { type Static, Type } from 'typebox';
import { Id, INT_MAX, PostNumber } from './ids';

/** Limits of the forum, shared by server validation and client forms. */
export const TITLE_MIN = 8;
export const TITLE_MAX = 120;
export const BODY_MAX = 32_000;
export const SLUG_PATTERN = '^[a-z0-9]+(?:-[a-z0-9]+)*$';
/** A category's language: a BCP-47 tag of language, optional script and region (`es`, `pt-BR`, `zh-Hans`). */
export const LANGUAGE_TAG_PATTERN = '^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$';

/**
 * A member's notification level for a thread or a category, Discourse-style (docs/notifications.md):
 * watching (every new post; for a category, every new thread too), tracking (in Unread; for a
 * category, every new thread), normal (only mentions, quotes and replies to you), muted (nothing).
 */
export const notificationLevels = ['watching', 'tracking', 'normal', 'muted'] as const;
export const NotificationLevel = Type.Union([
  Type.Literal('watching'),
  Type.Literal('tracking'),
  Type.Literal('normal'),
  Type.Literal('muted'),
]);
export type NotificationLevel = (typeof notificationLevels)[number];

export const threadSorts = ['latest', 'newest', 'replies', 'likes'] as const;
export const ThreadSort = Type.Union([
  Type.Literal('latest'),
  Type.Literal('newest'),
  Type.Literal('replies'),
  Type.Literal('likes'),
]);
export type ThreadSort = Static<typeof ThreadSort>;

export const ThreadKind = Type.Union([Type.Literal('discussion'), Type.Literal('idea')]);
export type ThreadKind = Static<typeof ThreadKind>;

export const WhoCanStart = Type.Union([Type.Literal('everyone'), Type.Literal('staff')]);

/** A user as shown next to their posts. */
export const UserRef = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
});
export type UserRef = Static<typeof UserRef>;

export const Category = Type.Object({
  id: Type.Integer(),
  parentId: Type.Union([Type.Integer(), Type.Null()]),
  slug: Type.String(),
  name: Type.String(),
  description: Type.String(),
  color: Type.String(),
  position: Type.Integer(),
  locale: Type.Union([Type.String(), Type.Null()]),
  allowDiscussions: Type.Boolean(),
  allowIdeas: Type.Boolean(),
  whoCanStart: WhoCanStart,
  threadCount: Type.Integer(),
  /** Votes a member may hold on open ideas here at once (null: unlimited). */
  voteBudget: Type.Union([Type.Integer(), Type.Null()]),
  /** The reader may start a thread here (from the server's policy). */
  canStartThread: Type.Boolean(),
});
export type Category = Static<typeof Category>;

export const CategoryBody = Type.Object(
  {
    parentId: Type.Optional(Type.Union([Id, Type.Null()])),
    slug: Type.String({ pattern: SLUG_PATTERN, minLength: 1, maxLength: 50 }),
    name: Type.String({ minLength: 1, maxLength: 60 }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    color: Type.Optional(Type.String({ pattern: '^#[0-9a-f]{6}$' })),
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
    /** Its language (a per-language space), or null for every language. */
    locale: Type.Optional(Type.Union([Type.String({ pattern: LANGUAGE_TAG_PATTERN, maxLength: 16 }), Type.Null()])),
    allowDiscussions: Type.Optional(Type.Boolean()),
    allowIdeas: Type.Optional(Type.Boolean()),
    whoCanStart: Type.Optional(WhoCanStart),
    voteBudget: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 1000 }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type CategoryBody = Static<typeof CategoryBody>;
/** At least one field: an empty patch changes nothing and is refused. */
export const CategoryPatch = Type.Partial(CategoryBody, { additionalProperties: false, minProperties: 1 });
export type CategoryPatch = Static<typeof CategoryPatch>;

/** The full order of one parent's sub-categories (or of the top level: `parentId` null), first first. */
export const CategoryOrderBody = Type.Object(
  {
    parentId: Type.Union([Id, Type.Null()]),
    order: Type.Array(Id, { minItems: 1, maxItems: 500, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export type CategoryOrderBody = Static<typeof CategoryOrderBody>;

/** A thread in a list. `unreadCount`/`isNew` are for the signed-in reader (0/false otherwise). */
export const ThreadSummary = Type.Object({
  id: Type.Integer(),
  categoryId: Type.Integer(),
  kind: ThreadKind,
  title: Type.String(),
  author: UserRef,
  lastPoster: UserRef,
  createdAt: Type.String(),
  bumpedAt: Type.String(),
  replyCount: Type.Integer(),
  likeCount: Type.Integer(),
  highestPostNumber: Type.Integer(),
  pinned: Type.Boolean(),
  locked: Type.Boolean(),
  deleted: Type.Boolean(),
  unreadCount: Type.Integer(),
  isNew: Type.Boolean(),
});
export type ThreadSummary = Static<typeof ThreadSummary>;

export const ThreadListQuery = Type.Object({
  category: Type.Optional(Type.String({ maxLength: 50, description: 'Category slug (includes its sub-categories)' })),
  sort: Type.Optional(ThreadSort),
  filter: Type.Optional(Type.Union([Type.Literal('new'), Type.Literal('unread')])),
  kind: Type.Optional(ThreadKind),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 30 })),
});
export type ThreadListQuery = Static<typeof ThreadListQuery>;

export const Post = Type.Object({
  id: Type.Integer(),
  threadId: Type.Integer(),
  postNumber: Type.Integer(),
  author: UserRef,
  replyToPostNumber: Type.Union([Type.Integer(), Type.Null()]),
  /** Server-rendered, sanitised HTML: the only form clients display. Empty when deleted (unless staff). */
  cooked: Type.String(),
  /** The Markdown source, for its author and staff (editing, quoting); null otherwise. */
  raw: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  editedAt: Type.Union([Type.String(), Type.Null()]),
  revision: Type.Integer(),
  likeCount: Type.Integer(),
  likedByMe: Type.Boolean(),
  /** The reader keeps it among their bookmarks (false when anonymous). */
  bookmarkedByMe: Type.Boolean(),
  deleted: Type.Boolean(),
  /**
   * Hidden by members' flags until a moderator decides: others see that it is hidden (empty
   * `cooked`); its author and staff see it, and `hiddenReason`.
   */
  hidden: Type.Boolean(),
  hiddenReason: Type.Union([Type.String(), Type.Null()]),
  /** Hidden and still waiting for a moderator (false once a moderator agreed with the flags). */
  hiddenPending: Type.Boolean(),
  /** What the reader may do with the post (from the server's policy). */
  canEdit: Type.Boolean(),
  /** The reader may flag it (not their own, not flagged by them already). */
  canFlag: Type.Boolean(),
  canDelete: Type.Boolean(),
  canLike: Type.Boolean(),
  /** The reader may see its edit history and, once deleted, its text. */
  canSeeHistory: Type.Boolean(),
  /** The reader may restore it when it is deleted. */
  canRestore: Type.Boolean(),
});
export type Post = Static<typeof Post>;

export const ThreadDetail = Type.Object({
  id: Type.Integer(),
  kind: ThreadKind,
  title: Type.String(),
  category: Category,
  author: UserRef,
  createdAt: Type.String(),
  bumpedAt: Type.String(),
  replyCount: Type.Integer(),
  likeCount: Type.Integer(),
  highestPostNumber: Type.Integer(),
  pinned: Type.Boolean(),
  /** When the pin ends, if it does. */
  pinnedUntil: Type.Union([Type.String(), Type.Null()]),
  locked: Type.Boolean(),
  /** Out of every list (found by its address); staff only see this as true. */
  unlisted: Type.Boolean(),
  deleted: Type.Boolean(),
  /** The reader's marker (0 when never read or anonymous). */
  lastReadPostNumber: Type.Integer(),
  /** The reader's notification level for it, in force (its own, its category's or the default; anonymous: normal). */
  notificationLevel: NotificationLevel,
  /** What the reader may do with the thread (from the server's policy). */
  canReply: Type.Boolean(),
  /** Pin, lock, unlist and move it (staff). */
  canModerate: Type.Boolean(),
  /** Move some of its posts to another thread or a new one (staff). */
  canMovePosts: Type.Boolean(),
  canEditTitle: Type.Boolean(),
  canDelete: Type.Boolean(),
  /** The reader may restore it when it is deleted. */
  canRestore: Type.Boolean(),
  posts: Type.Array(Post),
  /** Pass as `?after=` for the next page of posts; null on the last page. */
  nextAfter: Type.Union([Type.Integer(), Type.Null()]),
});
export type ThreadDetail = Static<typeof ThreadDetail>;

export const ThreadQuery = Type.Object({
  after: Type.Optional(
    Type.Integer({ minimum: 0, maximum: INT_MAX, description: 'Posts with a higher number than this' }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});

const Title = Type.String({ minLength: TITLE_MIN, maxLength: TITLE_MAX });
const Body = Type.String({ minLength: 1, maxLength: BODY_MAX });

export const CreateThreadBody = Type.Object(
  { categoryId: Id, title: Title, body: Body, kind: Type.Optional(ThreadKind) },
  { additionalProperties: false },
);
export type CreateThreadBody = Static<typeof CreateThreadBody>;

export const UpdateThreadBody = Type.Object({ title: Title }, { additionalProperties: false });

export const CreatePostBody = Type.Object(
  { body: Body, replyToPostNumber: Type.Optional(PostNumber) },
  { additionalProperties: false },
);
export type CreatePostBody = Static<typeof CreatePostBody>;

export const UpdatePostBody = Type.Object({ body: Body }, { additionalProperties: false });

export const PreviewBody = Type.Object({ body: Type.String({ maxLength: BODY_MAX }) }, { additionalProperties: false });
export const PreviewResponse = Type.Object({ cooked: Type.String() });

export const LikeResponse = Type.Object({ liked: Type.Boolean(), likeCount: Type.Integer() });

export const ReadBody = Type.Object({ postNumber: PostNumber }, { additionalProperties: false });
export const ReadResponse = Type.Object({ lastReadPostNumber: Type.Integer() });

export const Revision = Type.Object({
  revision: Type.Integer(),
  raw: Type.String(),
  title: Type.Union([Type.String(), Type.Null()]),
  editor: UserRef,
  createdAt: Type.String(),
});
export type Revision = Static<typeof Revision>;
export const RevisionList = Type.Object({ current: Type.Integer(), revisions: Type.Array(Revision) });
export type RevisionList = Static<typeof RevisionList>;

/** Live events on `thread:<id>` (cursor: the thread's highest post number). */
export const ThreadChannelEvents = {
  postCreated: 'post_created',
  postUpdated: 'post_updated',
  /** Pinned, locked, unlisted, moved or renamed: reload the thread's header. */
  threadUpdated: 'thread_updated',
  /**
   * Posts moved out of or into this thread. Out: {toThreadId, postNumbers} (postNumbers null when
   * too many to list; cursor null). In: {fromThreadId, firstPostNumber, lastPostNumber} (their
   * new numbers; cursor: the last).
   */
  postsMoved: 'posts_moved',
} as const;

export const notificationKinds = ['reply', 'mention', 'quote', 'like'] as const;
export const Notification = Type.Object({
  id: Type.Integer(),
  kind: Type.String({
    description:
      'reply | mention | quote | like | posted | new_thread | status | merged | post_moderated | flag_outcome | trust_level | released | beta_accepted | beta_waitlisted_promoted | beta_decided | digest',
  }),
  actor: Type.Union([UserRef, Type.Null()]),
  /**
   * How many people did this (likes are grouped per post while unread); for `posted`, how many
   * new posts (grouped per watched thread while unread; postNumber: the first of them).
   */
  actorCount: Type.Integer(),
  threadId: Type.Union([Type.Integer(), Type.Null()]),
  threadTitle: Type.Union([Type.String(), Type.Null()]),
  postNumber: Type.Union([Type.Integer(), Type.Null()]),
  read: Type.Boolean(),
  /**
   * Kind-specific details: `status` {status, from, response?}, `merged` {intoId, intoTitle},
   * `released` {releaseId, version, channel, ideas: [{id, title}] (at most 3), ideaCount}.
   */
  data: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  seq: Type.Integer(),
});
export type Notification = Static<typeof Notification>;

export const NotificationPage = Type.Object({
  items: Type.Array(Notification),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
  unreadCount: Type.Integer(),
});

export const MarkReadBody = Type.Union([
  Type.Object({ ids: Type.Array(Id, { minItems: 1, maxItems: 200 }) }, { additionalProperties: false }),
  Type.Object({ all: Type.Literal(true) }, { additionalProperties: false }),
]);

/** Events on `user:<id>` about notifications (cursor: notification seq). */
export const NotificationEvents = { changed: 'notification', allRead: 'notifications_read' } as const;

/** A calendar date, YYYY-MM-DD (month 01–12, day 01–31). */
export const DATE_PATTERN = '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$';

export const SearchQuery = Type.Object({
  q: Type.String({ minLength: 2, maxLength: 200 }),
  category: Type.Optional(Type.String({ maxLength: 50 })),
  author: Type.Optional(Type.String({ maxLength: 20 })),
  kind: Type.Optional(ThreadKind),
  after: Type.Optional(Type.String({ pattern: DATE_PATTERN, description: 'YYYY-MM-DD' })),
  before: Type.Optional(Type.String({ pattern: DATE_PATTERN, description: 'YYYY-MM-DD' })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 1 })),
});
export type SearchQuery = Static<typeof SearchQuery>;

export const SearchResult = Type.Object({
  threadId: Type.Integer(),
  threadTitle: Type.String(),
  postNumber: Type.Integer(),
  categoryId: Type.Integer(),
  kind: ThreadKind,
  author: UserRef,
  createdAt: Type.String(),
  /** HTML: escaped text with <mark> around matches. */
  snippet: Type.String(),
});
export type SearchResult = Static<typeof SearchResult>;
export const SearchResponse = Type.Object({ results: Type.Array(SearchResult), hasMore: Type.Boolean() });

/** `GET /api/users?q=`: usernames that start with what follows an `@` in the composer. */
export const UserSearchQuery = Type.Object(
  {
    q: Type.String({ pattern: '^[A-Za-z0-9_]{1,20}$', minLength: 1, maxLength: 20 }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
  },
  { additionalProperties: false },
);
export type UserSearchQuery = Static<typeof UserSearchQuery>;
export const UserSearchResponse = Type.Object({
  users: Type.Array(Type.Object({ username: Type.String(), role: Type.String() })),
});
export type UserSearchResponse = Static<typeof UserSearchResponse>;

export const Profile = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  role: Type.String(),
  joinedAt: Type.String(),
  /** The day (YYYY-MM-DD, UTC) the member was last seen; null if never, or if they hide it. */
  lastSeenOn: Type.Union([Type.String(), Type.Null()]),
  threadCount: Type.Integer(),
  replyCount: Type.Integer(),
  ideaCount: Type.Integer(),
  likesGiven: Type.Integer(),
  likesReceived: Type.Integer(),
});
export type Profile = Static<typeof Profile>;

export const ActivityItem = Type.Object({
  threadId: Type.Integer(),
  threadTitle: Type.String(),
  postNumber: Type.Integer(),
  kind: ThreadKind,
  excerpt: Type.String(),
  createdAt: Type.String(),
});
export type ActivityItem = Static<typeof ActivityItem>;
export type ActivityType = 'threads' | 'replies' | 'ideas' | 'likes';
export const ActivityQuery = Type.Object({
  type: Type.Union([Type.Literal('threads'), Type.Literal('replies'), Type.Literal('ideas'), Type.Literal('likes')]),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});

/** PATCH /api/threads/:id/moderation (staff): any of these, at least one. */
export const ModerateThreadBody = Type.Object(
  {
    pinned: Type.Optional(Type.Boolean()),
    /** With pinned: true, when the pin ends (ISO 8601, in the future); omitted or null: never. */
    pinnedUntil: Type.Optional(
      Type.Union([
        Type.String({
          pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,6})?)?(Z|[+-]\\d{2}:\\d{2})$',
          maxLength: 40,
        }),
        Type.Null(),
      ]),
    ),
    locked: Type.Optional(Type.Boolean()),
    unlisted: Type.Optional(Type.Boolean()),
    /** Move it to this category (it must take the thread's kind). */
    categoryId: Type.Optional(Type.Integer({ minimum: 1, maximum: 9_007_199_254_740_991 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type ModerateThreadBody = Static<typeof ModerateThreadBody>;

/** Most posts one move takes. */
export const MOVE_POSTS_MAX = 1000;

/** POST /api/threads/:id/move-posts (staff): to an existing thread, or to a new one. */
export const MovePostsBody = Type.Object(
  {
    postIds: Type.Array(Id, { minItems: 1, maxItems: MOVE_POSTS_MAX, uniqueItems: true }),
    destination: Type.Union([
      Type.Object({ threadId: Id }, { additionalProperties: false }),
      Type.Object({ title: Title, categoryId: Id }, { additionalProperties: false }),
    ]),
  },
  { additionalProperties: false },
);
export type MovePostsBody = Static<typeof MovePostsBody>;
export type MoveDestination = MovePostsBody['destination'];
export const MovePostsResponse = Type.Object({ threadId: Type.Integer() });
