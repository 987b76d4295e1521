import { type DashboardCharts, type DashboardWindow, windowDays } from '@fanlab/shared';
import { sql } from 'kysely';
import type { Db } from '../db/connect';

/**
 * The site charts: per week (Monday, UTC) over the window, votes (standing, by the week they were
 * cast), new ideas, active voters (members with a standing vote cast that week) and idea status
 * changes. At least 12 weeks (a 7-day window still shows a trend), at most 53 (`all`: a year).
 * Counting reads a year of votes, so each process keeps the answer for a minute.
 */
const MIN_WEEKS = 12;
const MAX_WEEKS = 53;
export const CHARTS_CACHE_MS = 60_000;

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Midnight (UTC) of the day `now` is in, in ms. */
export const utcToday = (now: Date) => Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());

/** The first of the `count` UTC days up to today, as YYYY-MM-DD. */
export const firstOfLastDays = (count: number, now: Date) => isoDay(utcToday(now) - (count - 1) * DAY_MS);

/** The Monday (UTC) of the week `now` is in, as YYYY-MM-DD. */
export function weekOf(now: Date): string {
  const today = utcToday(now);
  return isoDay(today - ((new Date(today).getUTCDay() + 6) % 7) * DAY_MS);
}

export function chartWeeks(window: DashboardWindow, now = new Date()): string[] {
  const days = windowDays(window);
  const count = Math.min(MAX_WEEKS, Math.max(MIN_WEEKS, days === null ? MAX_WEEKS : Math.ceil(days / 7)));
  const monday = Date.parse(`${weekOf(now)}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => isoDay(monday - (count - 1 - i) * 7 * DAY_MS));
}

export async function countCharts(db: Db, window: DashboardWindow, now = new Date()): Promise<DashboardCharts> {
  const weeks = chartWeeks(window, now);
  const from = weeks[0] as string;
  const week = (column: string) => sql<string>`(date_trunc('week', ${sql.ref(column)} at time zone 'UTC'))::date::text`;
  const [votes, ideas, changes] = await Promise.all([
    // standing votes by the week they were cast, and who cast them: one scan of the year's votes
    sql<{ week: string; n: number; voters: number }>`
      select ${week('created_at')} as week, count(*)::int as n, count(distinct user_id)::int as voters
      from idea_votes where created_at >= ${from}::timestamp at time zone 'UTC' group by 1`.execute(db),
    sql<{ week: string; n: number }>`
      select ${week('created_at')} as week, count(*)::int as n from threads
      where kind = 'idea' and deleted_at is null and not unlisted and hidden_at is null
        and created_at >= ${from}::timestamp at time zone 'UTC'
      group by 1`.execute(db),
    sql<{ week: string; n: number }>`
      select ${week('created_at')} as week, count(*)::int as n from idea_status_changes
      where created_at >= ${from}::timestamp at time zone 'UTC' group by 1`.execute(db),
  ]);
  const byWeek = (rows: { week: string; n: number }[]) => new Map(rows.map((r) => [r.week, r.n]));
  const [v, i, s] = [votes, ideas, changes].map((r) => byWeek(r.rows)) as Map<string, number>[];
  const a = new Map(votes.rows.map((r) => [r.week, r.voters]));
  return {
    weeks: weeks.map((w) => ({
      week: w,
      votes: v?.get(w) ?? 0,
      newIdeas: i?.get(w) ?? 0,
      activeVoters: a?.get(w) ?? 0,
      statusChanges: s?.get(w) ?? 0,
    })),
    computedAt: now.toISOString(),
  };
}

/** Per process: one count per window a minute; callers waiting at once share it. */
export class ChartsCache {
  private readonly entries = new Map<DashboardWindow, { at: number; value: Promise<DashboardCharts> }>();

  constructor(
    private readonly db: Db,
    private readonly maxAgeMs = CHARTS_CACHE_MS,
  ) {}

  get(window: DashboardWindow): Promise<DashboardCharts> {
    const entry = this.entries.get(window);
    if (entry && Date.now() - entry.at < this.maxAgeMs) return entry.value;
    const value = countCharts(this.db, window);
    this.entries.set(window, { at: Date.now(), value });
    value.catch(() => this.entries.delete(window));
    return value;
  }
}
