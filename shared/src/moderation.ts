import { type Static, type TSchema, Type } from 'typebox';
import { Id } from './ids';
import { Page } from './pagination';
import { TrustLevelSchema } from './trust';

export const flagReasons = ['spam', 'rude', 'off_topic', 'duplicate', 'other'] as const;
export type FlagReason = (typeof flagReasons)[number];
export const FlagReason = Type.Unsafe<FlagReason>(Type.String({ enum: [...flagReasons] }));

export const FLAG_MESSAGE_MAX = 1000;

/** POST /api/posts/:id/flags. `message` is required for `other`; `duplicateOf` (a thread id) for `duplicate`. */
export const FlagBody = Type.Object(
  {
    reason: FlagReason,
    message: Type.Optional(Type.String({ minLength: 1, maxLength: FLAG_MESSAGE_MAX })),
    duplicateOf: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type FlagBody = Static<typeof FlagBody>;

export const FlagResponse = Type.Object({
  /** Whether the post is now hidden, waiting for a moderator. */
  hidden: Type.Boolean(),
});
export type FlagResponse = Static<typeof FlagResponse>;

/**
 * What a review item is: a post others flagged, a post held for approval before anyone sees it,
 * or an application to a reviewed beta program (`application` on the item).
 */
export const reviewableTypes = ['flagged_post', 'queued_post', 'beta_application'] as const;
export type ReviewableType = (typeof reviewableTypes)[number];
export const ReviewableType = Type.Unsafe<ReviewableType>(Type.String({ enum: [...reviewableTypes] }));

/** Why a post waits for approval: a new member's first posts, a new member's links, a watched word. */
export const holdReasons = ['new_member', 'links', 'watched_word'] as const;
export type HoldReason = (typeof holdReasons)[number];
export const HoldReason = Type.Unsafe<HoldReason>(Type.String({ enum: [...holdReasons] }));

/** flagged_post: agreed, disagreed or ignored; queued_post: approved or rejected; beta_application: accepted, waitlisted or rejected. */
export const reviewableStatuses = [
  'pending',
  'agreed',
  'disagreed',
  'ignored',
  'approved',
  'rejected',
  'accepted',
  'waitlisted',
] as const;
export type ReviewableStatus = (typeof reviewableStatuses)[number];
export const ReviewableStatus = Type.Unsafe<ReviewableStatus>(Type.String({ enum: [...reviewableStatuses] }));

/** agree, disagree, ignore: flagged posts; approve, reject: held posts; accept, waitlist, reject: beta applications; defer: all. */
export const reviewActions = [
  'agree',
  'disagree',
  'ignore',
  'defer',
  'approve',
  'reject',
  'accept',
  'waitlist',
] as const;
export type ReviewAction = (typeof reviewActions)[number];

export const SANCTION_DAYS_MAX = 3650;
export const SANCTION_REASON_MAX = 500;

/** Silence (may read, not post, vote or flag) or suspend (may not sign in) the author, for `days`. */
export const Sanction = Type.Object(
  {
    kind: Type.Union([Type.Literal('silence'), Type.Literal('suspend')]),
    days: Type.Integer({ minimum: 1, maximum: SANCTION_DAYS_MAX }),
    reason: Type.String({ minLength: 1, maxLength: SANCTION_REASON_MAX }),
  },
  { additionalProperties: false },
);
export type Sanction = Static<typeof Sanction>;

/**
 * One decision. `version` is the reviewable's version the moderator saw: if someone decided (or
 * changed) it since, the answer is 409 `review_conflict` and nothing happens.
 * - agree: the flags were right; the post stays hidden (`deletePost`: deleted) and the author may
 *   be sanctioned; flaggers' accuracy goes up.
 * - disagree: the post is fine; it is shown again; flaggers' accuracy goes down.
 * - ignore: close the flags without judging them (the post is shown again, accuracy unchanged).
 * - defer: decide later: it stays pending, unclaimed, and goes to the end of the queue for a day.
 */
export const ReviewActionBody = Type.Object(
  {
    action: Type.Unsafe<ReviewAction>(Type.String({ enum: [...reviewActions] })),
    version: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
    deletePost: Type.Optional(Type.Boolean()),
    sanction: Type.Optional(Sanction),
    /** beta_application: the reason the applicant is told (optional here). */
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type ReviewActionBody = Static<typeof ReviewActionBody>;

export const BulkReviewBody = Type.Object(
  {
    action: Type.Unsafe<ReviewAction>(Type.String({ enum: [...reviewActions] })),
    items: Type.Array(Type.Object({ id: Id, version: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) }), {
      minItems: 1,
      maxItems: 100,
    }),
  },
  { additionalProperties: false },
);
export type BulkReviewBody = Static<typeof BulkReviewBody>;

export const BulkReviewResponse = Type.Object({
  results: Type.Array(
    Type.Object({
      id: Type.Integer(),
      /** `done`, or the error code that refused this one (others still went through). */
      outcome: Type.String(),
    }),
  ),
});
export type BulkReviewResponse = Static<typeof BulkReviewResponse>;

const UserRef = Type.Object({ id: Type.Integer(), username: Type.String() });

export const ReviewableFlag = Type.Object({
  user: UserRef,
  reason: FlagReason,
  message: Type.Union([Type.String(), Type.Null()]),
  duplicateOf: Type.Union([Type.Object({ id: Type.Integer(), title: Type.String() }), Type.Null()]),
  weight: Type.Number(),
  createdAt: Type.String(),
});

/** A held post's reason, or the flags' weightiest, or `beta_application`: what an item is about, in one word. */
export const ReviewReason = Type.Unsafe<FlagReason | HoldReason | 'beta_application'>(
  Type.String({ enum: [...flagReasons, ...holdReasons, 'beta_application'] }),
);

/**
 * A beta application under review (beta_application items; null on others). On such an item
 * `post` is the application as a post-shaped summary (id null, `excerpt` "device · region",
 * `author` the applicant) and `thread` the program (id null, `title` its name, `category` its
 * product category), so every item has the same shape.
 */
export const ReviewableApplication = Type.Object({
  id: Type.Integer(),
  program: Type.Object({ id: Type.Integer(), slug: Type.String(), name: Type.String() }),
  deviceModel: Type.String(),
  region: Type.String(),
  quizScore: Type.Union([Type.Integer(), Type.Null()]),
  /** The program's pass mark (null: no quiz). */
  passMark: Type.Union([Type.Integer(), Type.Null()]),
  /** Seats left for this applicant's device model now (accept needs one). */
  seatsLeft: Type.Integer(),
});
export type ReviewableApplication = Static<typeof ReviewableApplication>;

const reviewablePost = {
  /** null: a held post not approved (it is not a post yet). */
  id: Type.Union([Type.Integer(), Type.Null()]),
  postNumber: Type.Union([Type.Integer(), Type.Null()]),
  /**
   * The post's start as plain text (no HTML), at most 300 characters, cut after a whole word
   * and ending in '…' when the post is longer; the whole post is `cooked` on the item itself.
   */
  excerpt: Type.String(),
  hidden: Type.Boolean(),
  deleted: Type.Boolean(),
  author: UserRef,
};

const reviewableFields = <P extends TSchema>(post: P) => ({
  id: Type.Integer(),
  type: ReviewableType,
  status: ReviewableStatus,
  score: Type.Number(),
  flagCount: Type.Integer(),
  topReason: ReviewReason,
  /** queued_post: what waits (a reply, or a new thread) and why; null for flagged posts. */
  held: Type.Union([
    Type.Object({ kind: Type.Union([Type.Literal('reply'), Type.Literal('thread')]), reason: HoldReason }),
    Type.Null(),
  ]),
  /** beta_application: the application; null for posts. */
  application: Type.Union([ReviewableApplication, Type.Null()]),
  version: Type.Integer(),
  createdAt: Type.String(),
  decidedAt: Type.Union([Type.String(), Type.Null()]),
  decidedBy: Type.Union([UserRef, Type.Null()]),
  claimedBy: Type.Union([UserRef, Type.Null()]),
  deferredUntil: Type.Union([Type.String(), Type.Null()]),
  post,
  /**
   * The thread (`id` null: a held new thread, not started yet; `title` is its title); `category`
   * null once its category was deleted (decided items only).
   */
  thread: Type.Object({
    id: Type.Union([Type.Integer(), Type.Null()]),
    title: Type.String(),
    category: Type.Union([Type.Object({ id: Type.Integer(), slug: Type.String(), name: Type.String() }), Type.Null()]),
  }),
  /** Every reason flagged, with how many flags and how much weight: the whole picture in a line. */
  reasons: Type.Array(Type.Object({ reason: FlagReason, count: Type.Integer(), weight: Type.Number() })),
  /**
   * The flags themselves, newest first: in the queue the latest QUEUE_FLAGS_SHOWN of them (a
   * much-flagged post would make the page heavy), all of them from GET /api/review/:id.
   */
  flags: Type.Array(ReviewableFlag),
});

/** An item of the queue: its post as an excerpt. */
export const Reviewable = Type.Object(reviewableFields(Type.Object(reviewablePost)));
export type Reviewable = Static<typeof Reviewable>;

/** One item on its own (GET /api/review/:id): the whole post (`cooked`) and every flag. */
export const ReviewableDetail = Type.Object(
  reviewableFields(Type.Object({ ...reviewablePost, cooked: Type.String() })),
);
export type ReviewableDetail = Static<typeof ReviewableDetail>;

/** Flags each queue item carries; the rest come with the item itself. */
export const QUEUE_FLAGS_SHOWN = 3;

export const ReviewQueueQuery = Type.Object(
  {
    status: Type.Optional(ReviewableStatus),
    type: Type.Optional(ReviewableType),
    category: Type.Optional(Id),
    /** Only applications to this beta program. */
    program: Type.Optional(Id),
    reason: Type.Optional(ReviewReason),
    /** Only items waiting at least this many hours. */
    minAgeHours: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
    /** Also show pending items a moderator deferred until later. */
    includeDeferred: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type ReviewQueueQuery = Static<typeof ReviewQueueQuery>;

export const ReviewQueuePage = Page(Reviewable);

export const ReviewOutcome = Type.Object({ status: ReviewableStatus, version: Type.Integer() });
export type ReviewOutcome = Static<typeof ReviewOutcome>;
export type ReviewQueuePage = Static<typeof ReviewQueuePage>;

/** What the queue's badge shows; sent live on `review:1` whenever it changes. */
export const ReviewCounts = Type.Object({ pending: Type.Integer() });
export type ReviewCounts = Static<typeof ReviewCounts>;

/** `review:1`: the review queue, for staff. `changed`: counts or items changed; reload them. */
export const REVIEW_CHANNEL = 'review:1';
export const ReviewChannelEvents = { changed: 'changed' } as const;

export const STAFF_NOTE_MAX = 2000;

export const StaffNoteBody = Type.Object(
  { body: Type.String({ minLength: 1, maxLength: STAFF_NOTE_MAX }) },
  { additionalProperties: false },
);
export type StaffNoteBody = Static<typeof StaffNoteBody>;

export const StaffNote = Type.Object({
  id: Type.Integer(),
  author: UserRef,
  body: Type.String(),
  createdAt: Type.String(),
});
export type StaffNote = Static<typeof StaffNote>;

/** What moderators see of a member: sanctions with their reasons, flag record, notes. */
export const MemberStanding = Type.Object({
  user: Type.Object({ id: Type.Integer(), username: Type.String(), role: Type.String() }),
  silencedUntil: Type.Union([Type.String(), Type.Null()]),
  silenceReason: Type.Union([Type.String(), Type.Null()]),
  suspendedUntil: Type.Union([Type.String(), Type.Null()]),
  suspendReason: Type.Union([Type.String(), Type.Null()]),
  flagsAgreed: Type.Integer(),
  flagsDisagreed: Type.Integer(),
  /** Their posts that moderators agreed broke the rules. */
  postsHidden: Type.Integer(),
  trustLevel: TrustLevelSchema,
  /** Staff fixed the level: the rules no longer move it. */
  trustLevelLocked: Type.Boolean(),
  canSetTrustLevel: Type.Boolean(),
  notes: Type.Array(StaffNote),
  canSanction: Type.Boolean(),
});
export type MemberStanding = Static<typeof MemberStanding>;

export const sanctionKinds = ['silence', 'suspend'] as const;
export type SanctionKind = (typeof sanctionKinds)[number];

/** A post held for approval, as its author sees it (`GET /api/me/queued-posts`). */
export const QueuedPost = Type.Object({
  id: Type.Integer(),
  kind: Type.Union([Type.Literal('reply'), Type.Literal('thread')]),
  status: Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')]),
  reason: HoldReason,
  /** reply: the thread it answers; thread: the thread it became once approved (else null). */
  thread: Type.Union([Type.Object({ id: Type.Integer(), title: Type.String() }), Type.Null()]),
  /** null once the category was deleted (after the post was decided). */
  category: Type.Union([Type.Object({ id: Type.Integer(), slug: Type.String(), name: Type.String() }), Type.Null()]),
  /** thread: its title. */
  title: Type.Union([Type.String(), Type.Null()]),
  cooked: Type.String(),
  createdAt: Type.String(),
  decidedAt: Type.Union([Type.String(), Type.Null()]),
  /** The post it became, once approved. */
  postNumber: Type.Union([Type.Integer(), Type.Null()]),
});
export type QueuedPost = Static<typeof QueuedPost>;

/** 202 to a new post or thread that waits for approval: nothing is published yet. */
export const PostQueuedResponse = Type.Object({ queued: QueuedPost });
export type PostQueuedResponse = Static<typeof PostQueuedResponse>;
