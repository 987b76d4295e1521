import { type SiteSettings, type TrustLevel, TrustRequirements, type TrustStat, trustStats } from '@fanlab/shared';
import { type RawBuilder, sql } from 'kysely';
import type { UserRow } from '../db/schema';

/** Each stat's column on `users` (read time is kept in seconds, its rules are in minutes). */
const columns: Record<TrustStat, keyof UserRow> = {
  daysVisited: 'days_visited',
  threadsEntered: 'threads_entered',
  postsRead: 'posts_read',
  readMinutes: 'read_seconds',
  likesGiven: 'likes_given',
  likesReceived: 'likes_received',
  repliesPosted: 'replies_posted',
};
const scale = (stat: TrustStat) => (stat === 'readMinutes' ? 60 : 1);

export type TrustStatsRow = Pick<
  UserRow,
  | 'days_visited'
  | 'threads_entered'
  | 'posts_read'
  | 'read_seconds'
  | 'likes_given'
  | 'likes_received'
  | 'replies_posted'
  | 'flags_agreed'
  | 'flags_disagreed'
>;

export const statValue = (row: TrustStatsRow, stat: TrustStat) =>
  Math.floor(Number(row[columns[stat] as keyof TrustStatsRow]) / scale(stat));

const levelRules = (level: 1 | 2 | 3, settings: SiteSettings) =>
  Object.entries(TrustRequirements[level]).map(([stat, key]) => ({
    stat: stat as TrustStat,
    needed: settings[key] as number,
  }));

/** Regulars are trusted with their flags: most of a TL3 member's decided flags were right. */
const flagsAccurate = (row: TrustStatsRow, settings: SiteSettings) =>
  row.flags_disagreed * 100 <= settings.tl3MaxFlagsDisagreedPercent * (row.flags_agreed + row.flags_disagreed);

/** The level a member's activity earns (the rules of every level up to it hold). Pure. */
export function earnedLevel(row: TrustStatsRow, settings: SiteSettings): TrustLevel {
  let level: TrustLevel = 0;
  for (const next of [1, 2, 3] as const) {
    const ok = levelRules(next, settings).every((r) => statValue(row, r.stat) >= r.needed);
    if (!ok || (next === 3 && !flagsAccurate(row, settings))) break;
    level = next;
  }
  return level;
}

/** The same rules as SQL over `users`, for set-based promotion (one statement, no read-then-write). */
export function earnedLevelSql(settings: SiteSettings): RawBuilder<number> {
  const holds = (level: 1 | 2 | 3) => {
    const parts = [1, 2, 3]
      .filter((l) => l <= level)
      .flatMap((l) => levelRules(l as 1 | 2 | 3, settings))
      .map((r) => sql`${sql.ref(`users.${columns[r.stat]}`)} >= ${r.needed * scale(r.stat)}`);
    if (level === 3) {
      parts.push(
        sql`users.flags_disagreed * 100 <= ${settings.tl3MaxFlagsDisagreedPercent} * (users.flags_agreed + users.flags_disagreed)`,
      );
    }
    return parts.length ? sql.join(parts, sql` and `) : sql`true`;
  };
  return sql<number>`(case when ${holds(3)} then 3 when ${holds(2)} then 2 when ${holds(1)} then 1 else 0 end)`;
}

/** What the next level needs and what the member has, rule by rule (their profile shows it). */
export function nextLevelRules(row: TrustStatsRow, level: TrustLevel, settings: SiteSettings) {
  if (level >= 3) return null;
  const next = (level + 1) as 1 | 2 | 3;
  return {
    level: next,
    rules: levelRules(next, settings).map((r) => ({ stat: r.stat, needed: r.needed, have: statValue(row, r.stat) })),
  };
}

export const statsOf = (row: TrustStatsRow): Record<string, number> =>
  Object.fromEntries(trustStats.map((stat) => [stat, statValue(row, stat)]));
