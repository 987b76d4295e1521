import { type Static, Type } from 'typebox';
import type { SiteSettingKey, SiteSettings } from './settings';
import type { Role } from './users';

/** 0 new, 1 basic, 2 member, 3 regular (Discourse's levels). */
export const trustLevels = [0, 1, 2, 3] as const;
export type TrustLevel = (typeof trustLevels)[number];
export const TrustLevelSchema = Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2), Type.Literal(3)]);

/** What members do that counts toward a level: each is a counter on the member. */
export const trustStats = [
  'daysVisited',
  'threadsEntered',
  'postsRead',
  'readMinutes',
  'likesGiven',
  'likesReceived',
  'repliesPosted',
] as const;
export type TrustStat = (typeof trustStats)[number];

/**
 * The rules of each level: a stat and the setting that holds how much of it is needed. A member
 * reaches a level when every rule of it (and of the levels below) holds.
 */
export const TrustRequirements: Record<1 | 2 | 3, Partial<Record<TrustStat, SiteSettingKey>>> = {
  1: { threadsEntered: 'tl1ThreadsEntered', postsRead: 'tl1PostsRead', readMinutes: 'tl1ReadMinutes' },
  2: {
    daysVisited: 'tl2DaysVisited',
    threadsEntered: 'tl2ThreadsEntered',
    postsRead: 'tl2PostsRead',
    readMinutes: 'tl2ReadMinutes',
    likesGiven: 'tl2LikesGiven',
    likesReceived: 'tl2LikesReceived',
    repliesPosted: 'tl2RepliesPosted',
  },
  3: {
    daysVisited: 'tl3DaysVisited',
    threadsEntered: 'tl3ThreadsEntered',
    postsRead: 'tl3PostsRead',
    readMinutes: 'tl3ReadMinutes',
    likesGiven: 'tl3LikesGiven',
    likesReceived: 'tl3LikesReceived',
    repliesPosted: 'tl3RepliesPosted',
  },
};

/** A member's level, whether staff fixed it, and what the next level still needs. */
export const TrustProgress = Type.Object({
  level: TrustLevelSchema,
  locked: Type.Boolean(),
  stats: Type.Record(Type.String(), Type.Integer()),
  /** The next level and, per rule, what is needed and what the member has; null at 3 or locked. */
  next: Type.Union([
    Type.Object({
      level: TrustLevelSchema,
      rules: Type.Array(Type.Object({ stat: Type.String(), needed: Type.Integer(), have: Type.Integer() })),
    }),
    Type.Null(),
  ]),
});
export type TrustProgress = Static<typeof TrustProgress>;

export const SetTrustLevelBody = Type.Object(
  {
    level: TrustLevelSchema,
    /** true (the default): staff fix the level; false: the rules take over again from it. */
    lock: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type SetTrustLevelBody = Static<typeof SetTrustLevelBody>;

/**
 * Whether a member's votes are held (saved, counted from trust level 1): new members' while the
 * setting is on; staff's and product managers' never. The server's SQL follows the same rule
 * (server/src/ideas/vote-rows.ts).
 */
export function votesAreHeld(
  user: { role: Role; trustLevel: TrustLevel },
  settings: Pick<SiteSettings, 'newMemberVotesHeld'>,
): boolean {
  return settings.newMemberVotesHeld && user.trustLevel === 0 && user.role === 'member';
}
