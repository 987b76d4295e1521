import { type Static, Type } from 'typebox';
import { DATE_PATTERN, UserRef } from './forum';
import { IdeaStatus } from './ideas';
import { Id } from './ids';

/**
 * Releases (issue 10): a version shipped on a channel, with Markdown notes and the ideas it
 * delivers. Publishing moves each linked idea to `in_beta` (beta) or `shipped` (stable) and tells
 * every voter and author (one `released` notification per person per release). docs/releases.md.
 */
export const releaseChannels = ['beta', 'stable'] as const;
export const ReleaseChannel = Type.Union([Type.Literal('beta'), Type.Literal('stable')]);
export type ReleaseChannel = Static<typeof ReleaseChannel>;

export const ReleaseState = Type.Union([Type.Literal('draft'), Type.Literal('published')]);
export type ReleaseState = Static<typeof ReleaseState>;

/** 4.3.7, 4.3, 10.0.1.2, or with a suffix: 4.3.7-rc.1. */
export const VERSION_PATTERN = '^\\d{1,4}(\\.\\d{1,4}){1,3}(-[0-9A-Za-z][0-9A-Za-z.]{0,19})?$';
export const ReleaseVersion = Type.String({ pattern: VERSION_PATTERN, maxLength: 40, description: 'e.g. 4.3.7' });

/** The most ideas one release links. */
export const RELEASE_MAX_IDEAS = 200;

/** An idea a release delivers, with its status and votes today. */
export const ReleaseIdea = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  status: IdeaStatus,
  voteCount: Type.Integer(),
});
export type ReleaseIdea = Static<typeof ReleaseIdea>;

export const Release = Type.Object({
  id: Type.Integer(),
  version: Type.String(),
  channel: ReleaseChannel,
  /** The day it ships, YYYY-MM-DD. */
  date: Type.String(),
  state: ReleaseState,
  notesRaw: Type.String(),
  /** The notes rendered (the forum's Markdown). */
  notesCooked: Type.String(),
  ideas: Type.Array(ReleaseIdea),
  publishedBy: Type.Union([UserRef, Type.Null()]),
  publishedAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  /** The reader may edit it, publish it (drafts) and delete it (drafts). From the server's policy. */
  canEdit: Type.Boolean(),
  canDelete: Type.Boolean(),
  canPublish: Type.Boolean(),
});
export type Release = Static<typeof Release>;

export const ReleaseListQuery = Type.Object({
  channel: Type.Optional(ReleaseChannel),
  /** Product managers and admins: list drafts instead of published releases. */
  state: Type.Optional(ReleaseState),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })),
});
export type ReleaseListQuery = Static<typeof ReleaseListQuery>;

const ReleaseFields = {
  version: ReleaseVersion,
  channel: ReleaseChannel,
  date: Type.String({ pattern: DATE_PATTERN, description: 'YYYY-MM-DD' }),
  /** Markdown. */
  notes: Type.String({ maxLength: 20_000 }),
  ideaIds: Type.Array(Id, { maxItems: RELEASE_MAX_IDEAS, uniqueItems: true }),
};

export const CreateReleaseBody = Type.Object(
  {
    version: ReleaseFields.version,
    channel: ReleaseFields.channel,
    date: ReleaseFields.date,
    notes: Type.Optional(ReleaseFields.notes),
    ideaIds: Type.Optional(ReleaseFields.ideaIds),
  },
  { additionalProperties: false },
);
export type CreateReleaseBody = Static<typeof CreateReleaseBody>;

/** Only what is given changes. Once published, version and channel stay and ideas may only be added. */
export const UpdateReleaseBody = Type.Object(
  {
    version: Type.Optional(ReleaseFields.version),
    channel: Type.Optional(ReleaseFields.channel),
    date: Type.Optional(ReleaseFields.date),
    notes: Type.Optional(ReleaseFields.notes),
    ideaIds: Type.Optional(ReleaseFields.ideaIds),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateReleaseBody = Static<typeof UpdateReleaseBody>;

export const CalendarQuery = Type.Object({
  /** YYYY-MM. */
  month: Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' }),
});

/** One day of a month's release calendar. Weekly beta builds ship on Fridays. */
export const CalendarDay = Type.Object({
  date: Type.String(),
  /** 1 Monday … 7 Sunday (ISO). */
  weekday: Type.Integer(),
  friday: Type.Boolean(),
  releases: Type.Array(
    Type.Object({ id: Type.Integer(), version: Type.String(), channel: ReleaseChannel, state: ReleaseState }),
  ),
});
export const ReleaseCalendar = Type.Object({ month: Type.String(), days: Type.Array(CalendarDay) });
export type ReleaseCalendar = Static<typeof ReleaseCalendar>;

/** What a `released` notification carries (data). */
export interface ReleasedNotificationData {
  releaseId: number;
  version: string;
  channel: ReleaseChannel;
  /** The reader's ideas in this release (at most 3 named) and how many there are. */
  ideas: { id: number; title: string }[];
  ideaCount: number;
}
