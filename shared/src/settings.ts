import { type TSchema, Type } from 'typebox';

/**
 * Site settings: the community's limits and thresholds, changed by admins on the settings screen
 * (stored in `site_settings`, read from an in-process copy every process refreshes when one
 * changes). One list: the server validates and applies them from it, the admin screen draws its
 * form from it. A setting absent from the table has its default.
 */

/** A rate limit: at most `max` per `windowSeconds`. */
export interface LimitValue {
  max: number;
  windowSeconds: number;
}

type Spec =
  | { type: 'int'; default: number; min: number; max: number }
  | { type: 'number'; default: number; min: number; max: number }
  | { type: 'bool'; default: boolean }
  | { type: 'words'; default: string[] }
  | { type: 'limit'; default: LimitValue };

export const SettingGroups = ['flags', 'trust', 'newMembers', 'antiSpam', 'watchedWords'] as const;
export type SettingGroup = (typeof SettingGroups)[number];

const int = (d: number, min: number, max: number) => ({ type: 'int', default: d, min, max }) as const;
const limit = (max: number, windowSeconds: number) => ({ type: 'limit', default: { max, windowSeconds } }) as const;

export const SiteSettingSpecs = {
  // flags and the review queue
  flagHideScore: { group: 'flags', type: 'number', default: 3, min: 0.5, max: 100 },
  reviewClaimMinutes: { group: 'flags', ...int(60, 1, 24 * 60) },
  reviewDeferHours: { group: 'flags', ...int(24, 1, 30 * 24) },
  // trust levels: what it takes to reach each (all of a level's rules)
  tl1ThreadsEntered: { group: 'trust', ...int(5, 0, 100_000) },
  tl1PostsRead: { group: 'trust', ...int(30, 0, 1_000_000) },
  tl1ReadMinutes: { group: 'trust', ...int(10, 0, 100_000) },
  tl2DaysVisited: { group: 'trust', ...int(15, 0, 10_000) },
  tl2ThreadsEntered: { group: 'trust', ...int(20, 0, 100_000) },
  tl2PostsRead: { group: 'trust', ...int(100, 0, 1_000_000) },
  tl2ReadMinutes: { group: 'trust', ...int(60, 0, 100_000) },
  tl2LikesGiven: { group: 'trust', ...int(1, 0, 100_000) },
  tl2LikesReceived: { group: 'trust', ...int(1, 0, 100_000) },
  tl2RepliesPosted: { group: 'trust', ...int(3, 0, 100_000) },
  tl3DaysVisited: { group: 'trust', ...int(50, 0, 10_000) },
  tl3ThreadsEntered: { group: 'trust', ...int(100, 0, 100_000) },
  tl3PostsRead: { group: 'trust', ...int(500, 0, 1_000_000) },
  tl3ReadMinutes: { group: 'trust', ...int(600, 0, 100_000) },
  tl3LikesGiven: { group: 'trust', ...int(30, 0, 100_000) },
  tl3LikesReceived: { group: 'trust', ...int(20, 0, 100_000) },
  tl3RepliesPosted: { group: 'trust', ...int(10, 0, 100_000) },
  /** A flag counts against TL3 while more than this share of a member's decided flags were disagreed with. */
  tl3MaxFlagsDisagreedPercent: { group: 'trust', ...int(30, 0, 100) },
  // new members (trust level 0)
  newMemberThreadsFirstDay: { group: 'newMembers', ...int(3, 0, 1_000) },
  newMemberRepliesFirstDay: { group: 'newMembers', ...int(10, 0, 10_000) },
  newMemberMaxLinks: { group: 'newMembers', ...int(2, 0, 100) },
  newMemberImages: { group: 'newMembers', type: 'bool', default: false },
  newMemberCanFlag: { group: 'newMembers', type: 'bool', default: false },
  /** Weight of a trust-level-0 flag, when they may flag. */
  newMemberFlagWeight: { group: 'newMembers', type: 'number', default: 0.5, min: 0, max: 1 },
  /**
   * A new member's votes are held: saved, but counted only once they reach trust level 1
   * (anti-brigading: fresh accounts cannot move a count).
   */
  newMemberVotesHeld: { group: 'newMembers', type: 'bool', default: false },
  /** A new member's first posts wait in the review queue for approval (0: none wait). */
  newMemberHoldFirstPosts: { group: 'newMembers', ...int(0, 0, 50) },
  /** A new member's posts with links wait for approval. */
  newMemberHoldLinks: { group: 'newMembers', type: 'bool', default: false },
  // anti-spam: posting limits by trust level, repeats, sign-ups
  threadLimitNewMember: { group: 'antiSpam', ...limit(3, 3600) },
  threadLimit: { group: 'antiSpam', ...limit(10, 600) },
  postLimitNewMember: { group: 'antiSpam', ...limit(10, 600) },
  postLimit: { group: 'antiSpam', ...limit(30, 300) },
  flagLimit: { group: 'antiSpam', ...limit(30, 3600) },
  /** The same text from one author is refused within this many minutes (0: allowed). */
  repeatPostMinutes: { group: 'antiSpam', ...int(5, 0, 24 * 60) },
  signUpsPerIp: { group: 'antiSpam', ...limit(20, 86_400) },
  // watched words: a post containing one is refused, or waits for approval
  watchedWordsBlock: { group: 'watchedWords', type: 'words', default: [] },
  watchedWordsHold: { group: 'watchedWords', type: 'words', default: [] },
} as const satisfies Record<string, Spec & { group: SettingGroup }>;

export type SiteSettingKey = keyof typeof SiteSettingSpecs;
export const SiteSettingKeys = Object.keys(SiteSettingSpecs) as SiteSettingKey[];

type ValueOf<S> = S extends { type: 'int' | 'number' }
  ? number
  : S extends { type: 'bool' }
    ? boolean
    : S extends { type: 'words' }
      ? string[]
      : LimitValue;

export type SiteSettings = { [K in SiteSettingKey]: ValueOf<(typeof SiteSettingSpecs)[K]> };

export const defaultSiteSettings = Object.fromEntries(
  SiteSettingKeys.map((key) => [key, SiteSettingSpecs[key].default]),
) as unknown as SiteSettings;

/** Words: at most this many per list, each this long. */
export const WATCHED_WORDS_MAX = 500;
export const WATCHED_WORD_LENGTH = 100;

function valueSchema(spec: Spec): TSchema {
  switch (spec.type) {
    case 'int':
      return Type.Integer({ minimum: spec.min, maximum: spec.max });
    case 'number':
      return Type.Number({ minimum: spec.min, maximum: spec.max });
    case 'bool':
      return Type.Boolean();
    case 'words':
      // something besides spaces, and at most two `*` (each stands for any letters: more would
      // let one word make the matcher backtrack for long on every post)
      return Type.Array(
        Type.String({ minLength: 1, maxLength: WATCHED_WORD_LENGTH, pattern: '^(?=.*\\S)[^*]*(?:\\*[^*]*){0,2}$' }),
        {
          maxItems: WATCHED_WORDS_MAX,
          uniqueItems: true,
        },
      );
    case 'limit':
      return Type.Object(
        {
          max: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
          windowSeconds: Type.Integer({ minimum: 1, maximum: 7 * 86_400 }),
        },
        { additionalProperties: false },
      );
  }
}

const specs = SiteSettingSpecs as Record<SiteSettingKey, Spec>;

/** One setting's value, as stored and answered. */
export const siteSettingSchema = (key: SiteSettingKey) => valueSchema(specs[key]);

export const SiteSettingsValues = Type.Object(
  Object.fromEntries(SiteSettingKeys.map((key) => [key, valueSchema(specs[key])])) as Record<SiteSettingKey, TSchema>,
  { additionalProperties: false },
);

/** A change: each key given is set; `null` puts it back to its default. */
export const SiteSettingsPatch = Type.Object(
  Object.fromEntries(
    SiteSettingKeys.map((key) => [key, Type.Optional(Type.Union([valueSchema(specs[key]), Type.Null()]))]),
  ) as unknown as Record<SiteSettingKey, TSchema>,
  { additionalProperties: false, minProperties: 1 },
);
export type SiteSettingsPatch = { [K in SiteSettingKey]?: SiteSettings[K] | null };

export const SiteSettingsAnswer = Type.Object({
  values: SiteSettingsValues,
  defaults: SiteSettingsValues,
  /** The settings changed from their defaults: when and by whom. */
  changed: Type.Array(
    Type.Object({
      key: Type.String(),
      changedAt: Type.String({ format: 'date-time' }),
      changedBy: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});
export interface SiteSettingsAnswer {
  values: SiteSettings;
  defaults: SiteSettings;
  changed: { key: SiteSettingKey; changedAt: string; changedBy: string | null }[];
}
