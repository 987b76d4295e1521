import type { Tx } from '../db/tx';
import { readCategoryPlaces } from '../forum/category-places';
import { notifyMany } from '../notifications/actions';
import { weekOf } from './charts';
import { resolveFilters, topRequestsPage } from './queries';

/**
 * The weekly digest (issue 11): every product manager and admin gets one in-app notification a
 * week with the top requests of the last 7 days (open work, by votes cast in those days). Weeks
 * start on Monday, UTC; the first process to look in a week claims it with a row of
 * `dashboard_digests` in the same transaction as the notifications, so the digest goes out once
 * whatever runs. Every process's maintenance round (main.ts: at start and every 10 minutes) asks,
 * so a process that was down over Monday sends it when it starts.
 */
export const DIGEST_IDEAS = 5;

export interface DigestData {
  week: string;
  ideas: { id: number; title: string; windowVotes: number; votes: number }[];
}

/** Sends this week's digest unless it went out already; returns how many were told (null: sent before). */
export async function sendWeeklyDigest(tx: Tx, now = new Date()): Promise<number | null> {
  const week = weekOf(now);
  // sent already (every round after the first of a week): nothing to count
  const sent = await tx.selectFrom('dashboard_digests').select('week').where('week', '=', week).executeTakeFirst();
  if (sent) return null;
  const filters = resolveFilters(await readCategoryPlaces(tx), { window: '7d', sort: 'window' });
  const page = await topRequestsPage(tx, filters, { limit: DIGEST_IDEAS, sparkline: null });
  const ideas = page.rows.map(({ row }) => ({
    id: row.id,
    title: row.title,
    windowVotes: row.window_votes,
    votes: row.vote_count,
  }));
  const recipients = await tx
    .selectFrom('users')
    .select('id')
    .where('role', 'in', ['product_manager', 'admin'])
    .where((eb) => eb.or([eb('suspended_until', 'is', null), eb('suspended_until', '<', now)]))
    .execute();
  const claimed = await tx
    .insertInto('dashboard_digests')
    .values({ week, idea_ids: ideas.map((i) => i.id), recipients: recipients.length })
    .onConflict((oc) => oc.column('week').doNothing())
    .returning('week')
    .executeTakeFirst();
  if (!claimed) return null; // another process claimed it meanwhile
  const data: DigestData = { week, ideas };
  return notifyMany(tx, {
    userIds: recipients.map((r) => r.id),
    kind: 'digest',
    threadId: ideas[0]?.id ?? null,
    actorId: null,
    data: { ...data },
  });
}
