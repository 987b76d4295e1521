import { type Static, Type } from 'typebox';
import { ThreadSummary, UserRef } from './forum';
import { Id } from './ids';

/** The life of an idea. Closed statuses take no votes and give budget votes back. */
export const ideaStatuses = [
  'open',
  'under_review',
  'planned',
  'in_progress',
  'in_beta',
  'shipped',
  'declined',
  'duplicate',
] as const;
export const IdeaStatus = Type.Union([
  Type.Literal('open'),
  Type.Literal('under_review'),
  Type.Literal('planned'),
  Type.Literal('in_progress'),
  Type.Literal('in_beta'),
  Type.Literal('shipped'),
  Type.Literal('declined'),
  Type.Literal('duplicate'),
]);
export type IdeaStatus = Static<typeof IdeaStatus>;
export const CLOSED_IDEA_STATUSES: readonly IdeaStatus[] = ['shipped', 'declined', 'duplicate'];

export const IdeaSort = Type.Union([
  Type.Literal('top'),
  Type.Literal('trending'),
  Type.Literal('hot'),
  Type.Literal('new'),
  Type.Literal('discussed'),
]);
export type IdeaSort = Static<typeof IdeaSort>;

export const TAG_PATTERN = '^[a-z0-9][a-z0-9-]{0,29}$';
export const Tag = Type.String({ pattern: TAG_PATTERN });

/** An idea in a board or list. `voted` is the reader's own vote. */
export const IdeaSummary = Type.Intersect([
  ThreadSummary,
  Type.Object({
    status: IdeaStatus,
    voteCount: Type.Integer(),
    /** Monotonic per idea: the live channel's cursor. */
    voteVersion: Type.Integer(),
    voted: Type.Boolean(),
    tags: Type.Array(Type.String()),
    mergedIntoId: Type.Union([Type.Integer(), Type.Null()]),
    /** The start of the idea's description as plain text (up to 300 characters, cut after a word). */
    excerpt: Type.String(),
  }),
]);
export type IdeaSummary = Static<typeof IdeaSummary>;

/** Which ideas a board lists: open work (every status but the closed ones), the closed, or all. */
export const ideaStates = ['open', 'closed', 'all'] as const;
export const IdeaState = Type.Union([Type.Literal('open'), Type.Literal('closed'), Type.Literal('all')]);
export type IdeaState = Static<typeof IdeaState>;

export const IdeaListQuery = Type.Object({
  category: Type.Optional(Type.String({ maxLength: 50 })),
  sort: Type.Optional(IdeaSort),
  /** One status; when given, `state` is not looked at. */
  status: Type.Optional(IdeaStatus),
  /** Without a status: open work (the default), closed ideas, or all. */
  state: Type.Optional(IdeaState),
  /** Only the ideas the reader voted for (signed in only). */
  voted: Type.Optional(Type.Boolean()),
  tag: Type.Optional(Tag),
  /** Only ideas posted at least this many days ago (triage: what has waited). */
  minAgeDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 30 })),
});
export type IdeaListQuery = Static<typeof IdeaListQuery>;

export const StatusChange = Type.Object({
  id: Type.Integer(),
  fromStatus: Type.Union([IdeaStatus, Type.Null()]),
  toStatus: IdeaStatus,
  /** Rendered HTML of the official response given with the change ('' when none). */
  responseCooked: Type.String(),
  /** The release that made this change (linking the idea to it), when one did. */
  release: Type.Union([
    Type.Object({ id: Type.Integer(), version: Type.String(), channel: Type.String() }),
    Type.Null(),
  ]),
  actor: Type.Union([UserRef, Type.Null()]),
  createdAt: Type.String(),
});
export type StatusChange = Static<typeof StatusChange>;

/** The idea part of a thread page. */
export const IdeaDetail = Type.Object({
  threadId: Type.Integer(),
  status: IdeaStatus,
  voteCount: Type.Integer(),
  voteVersion: Type.Integer(),
  voted: Type.Boolean(),
  /**
   * The reader's vote is held: saved, but counted only once they reach trust level 1 (site
   * setting newMemberVotesHeld).
   */
  voteHeld: Type.Boolean(),
  canVote: Type.Boolean(),
  /** Why the reader cannot vote, when they cannot (a stable code). */
  cannotVoteReason: Type.Union([Type.String(), Type.Null()]),
  /** The reader may set the status and official response (from the server's policy). */
  canTriage: Type.Boolean(),
  /** The reader may tag, merge and unmerge the idea. */
  canCurate: Type.Boolean(),
  tags: Type.Array(Type.String()),
  officialResponseCooked: Type.Union([Type.String(), Type.Null()]),
  officialResponseAt: Type.Union([Type.String(), Type.Null()]),
  mergedInto: Type.Union([Type.Object({ id: Type.Integer(), title: Type.String() }), Type.Null()]),
  /** Ideas merged into this one. */
  mergedFrom: Type.Array(Type.Object({ id: Type.Integer(), title: Type.String() })),
  history: Type.Array(StatusChange),
  /** Votes left in this category's budget for the reader (null: no budget). */
  budgetLeft: Type.Union([Type.Integer(), Type.Null()]),
});
export type IdeaDetail = Static<typeof IdeaDetail>;

export const VoteResponse = Type.Object({
  voted: Type.Boolean(),
  /** The vote is saved but not counted yet: the voter is a new member (see IdeaDetail.voteHeld). */
  held: Type.Boolean(),
  voteCount: Type.Integer(),
  voteVersion: Type.Integer(),
  budgetLeft: Type.Union([Type.Integer(), Type.Null()]),
});
export type VoteResponse = Static<typeof VoteResponse>;

export const SetStatusBody = Type.Object(
  {
    status: IdeaStatus,
    /** Markdown; replaces the official response shown on the idea when given. */
    response: Type.Optional(Type.String({ maxLength: 10_000 })),
  },
  { additionalProperties: false },
);
export type SetStatusBody = Static<typeof SetStatusBody>;

export const BulkStatusBody = Type.Object(
  {
    ids: Type.Array(Id, { minItems: 1, maxItems: 100 }),
    status: IdeaStatus,
    response: Type.Optional(Type.String({ maxLength: 10_000 })),
  },
  { additionalProperties: false },
);

export const SetTagsBody = Type.Object(
  { tags: Type.Array(Tag, { maxItems: 10, uniqueItems: true }) },
  { additionalProperties: false },
);

export const MergeBody = Type.Object({ intoId: Id }, { additionalProperties: false });

export const Voter = Type.Object({ user: UserRef, votedAt: Type.String() });

export const SimilarQuery = Type.Object({
  q: Type.String({ minLength: 3, maxLength: 120 }),
  category: Type.Optional(Type.String({ maxLength: 50 })),
});
export const SimilarIdea = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  status: IdeaStatus,
  voteCount: Type.Integer(),
  voteVersion: Type.Integer(),
  voted: Type.Boolean(),
  categoryId: Type.Integer(),
});
export type SimilarIdea = Static<typeof SimilarIdea>;

/**
 * Events on `idea:<id>` (cursor: voteVersion), each carrying the full state
 * { status, voteCount, voteVersion }. Coalesced: a few per second at most, ending at the truth.
 */
export const IdeaChannelEvents = {
  votes: 'votes',
  status: 'status',
} as const;
export type IdeaChannelEvent = (typeof IdeaChannelEvents)[keyof typeof IdeaChannelEvents];
