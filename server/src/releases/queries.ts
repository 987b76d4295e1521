import { ErrorCodes, type Release, type ReleaseCalendar, type ReleaseListQuery } from '@fanlab/shared';
import { sql } from 'kysely';
import type { User } from 'lucia';
import type { Db } from '../db/connect';
import { AppError, enforce, notFound } from '../http/errors';
import { decodeCursor, toPage } from '../http/pagination';
import { releasePolicy } from './policy';
import { type ReleaseIdeaRow, type ReleaseListRow, toRelease } from './present';

/** A release row with who published it. */
const releaseRows = (db: Db) =>
  db
    .selectFrom('releases as r')
    .leftJoin('users as p', 'p.id', 'r.published_by')
    .selectAll('r')
    .select(['p.username as published_by_username', sql<number>`(r.release_date - date '1970-01-01')`.as('day')]);

/** The ideas of these releases with their status and votes today, in id order. */
async function ideasOf(db: Db, releaseIds: number[]): Promise<Map<number, ReleaseIdeaRow[]>> {
  const byRelease = new Map<number, ReleaseIdeaRow[]>(releaseIds.map((id) => [id, []]));
  if (!releaseIds.length) return byRelease;
  const rows = await db
    .selectFrom('release_ideas as ri')
    .innerJoin('threads as t', 't.id', 'ri.idea_id')
    .select(['ri.release_id', 't.id', 't.title', 't.status', 't.vote_count'])
    .where('ri.release_id', 'in', releaseIds)
    .where('t.deleted_at', 'is', null)
    .orderBy('ri.release_id')
    .orderBy('t.id')
    .execute();
  for (const row of rows) byRelease.get(row.release_id)?.push(row);
  return byRelease;
}

/**
 * The changelog: published releases (or, for those who write them, drafts), newest day first,
 * keyset-paged on (day, id); each with its ideas and their vote counts. Two queries a page.
 */
export async function listReleases(db: Db, viewer: User | null, query: ReleaseListQuery) {
  const state = query.state ?? 'published';
  if (state === 'draft') enforce(releasePolicy.manage(viewer));
  const limit = query.limit ?? 20;
  const after = decodeCursor(query.cursor, ['id', 'id']);
  let q = releaseRows(db)
    .where('r.state', '=', state)
    .orderBy('r.release_date', 'desc')
    .orderBy('r.id', 'desc')
    .limit(sql.lit(limit + 1));
  if (query.channel) q = q.where('r.channel', '=', query.channel);
  if (after) {
    q = q.where(sql<boolean>`(r.release_date, r.id) < (date '1970-01-01' + ${after[0]}::int, ${after[1]}::bigint)`);
  }
  const rows: ReleaseListRow[] = await q.execute();
  const ideas = await ideasOf(
    db,
    rows.slice(0, limit).map((r) => r.id),
  );
  return toPage(
    rows,
    limit,
    (r) => toRelease(r, ideas.get(r.id) ?? [], viewer),
    (r) => [r.day, r.id],
  );
}

/** One release; a draft is 404 to those who may not write releases. */
export async function getRelease(db: Db, viewer: User | null, id: number): Promise<Release> {
  const row = await releaseRows(db).where('r.id', '=', id).executeTakeFirst();
  if (!row || !releasePolicy.see(viewer, row).ok) throw notFound('The release');
  const ideas = await ideasOf(db, [id]);
  return toRelease(row, ideas.get(id) ?? [], viewer);
}

/** The newest published releases, for the Atom feed. */
export async function feedReleases(db: Db, limit = 30): Promise<Release[]> {
  return (await listReleases(db, null, { limit })).items;
}

/**
 * A month of the release calendar: every day, Fridays marked (the weekly beta ships on
 * Fridays), with the releases of that day (drafts too for those who write them).
 */
export async function releaseCalendar(db: Db, viewer: User | null, month: string): Promise<ReleaseCalendar> {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  if (year < 2000 || year > 2100) throw new AppError(400, ErrorCodes.validationFailed, 'Pick a month of 2000–2100.');
  const first = `${month}-01`;
  let q = db
    .selectFrom('releases')
    .select(['id', 'version', 'channel', 'state', 'release_date'])
    .where('release_date', '>=', first)
    .where(sql<boolean>`release_date < ${first}::date + interval '1 month'`)
    .orderBy('release_date')
    .orderBy('id');
  if (!releasePolicy.manage(viewer).ok) q = q.where('state', '=', 'published');
  const releases = await q.execute();
  const daysInMonth = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
  const days = Array.from({ length: daysInMonth }, (_, i) => {
    const date = `${month}-${String(i + 1).padStart(2, '0')}`;
    const weekday = ((new Date(Date.UTC(year, monthNumber - 1, i + 1)).getUTCDay() + 6) % 7) + 1;
    return {
      date,
      weekday,
      friday: weekday === 5,
      releases: releases
        .filter((r) => r.release_date === date)
        .map((r) => ({ id: r.id, version: r.version, channel: r.channel, state: r.state })),
    };
  });
  return { month, days };
}
