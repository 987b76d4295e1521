import {
  type BetaApplicationListQuery,
  type BetaApplicationPage,
  type BetaProgram,
  type BetaProgramList,
  type BetaProgramListQuery,
  type BetaSeats,
  ErrorCodes,
  type MyBetaApplication,
} from '@fanlab/shared';
import { sql } from 'kysely';
import type { User } from 'lucia';
import { can } from '../auth/policy';
import type { Db } from '../db/connect';
import { AppError, notFound } from '../http/errors';
import { decodeCursor, toPage } from '../http/pagination';
import { parseQueryTime } from '../http/validation';
import { betaPolicy } from './policy';
import {
  type ApplicationRow,
  type MyApplicationRow,
  toApplication,
  toMyApplication,
  toProgram,
  toSummary,
} from './present';

/** A program's seats as the channel sends them: one query over the program and its models. */
export async function seatsOf(db: Db, programId: number): Promise<BetaSeats | undefined> {
  const row = await db
    .selectFrom('beta_programs as p')
    .select([
      'p.seats',
      'p.accepted_count',
      'p.seats_version',
      sql<number>`(select count(*)::int from beta_applications w
                   where w.program_id = p.id and w.status = 'waitlisted')`.as('waitlist_length'),
      sql<{ model: string; quota: number | null; accepted: number }[]>`(
        select coalesce(json_agg(json_build_object('model', d.model, 'quota', d.quota, 'accepted', d.accepted_count)
                                 order by d.position), '[]')
        from beta_program_devices d where d.program_id = p.id)`.as('devices'),
    ])
    .where('p.id', '=', programId)
    .executeTakeFirst();
  if (!row) return undefined;
  return toSeats(row);
}

export interface SeatsRow {
  seats: number;
  accepted_count: number;
  seats_version: number;
  waitlist_length: number;
  devices: { model: string; quota: number | null; accepted: number }[];
}

/** Seats left for a model: its quota's and the program's, whichever is fewer. */
export const modelSeatsLeft = (row: Pick<SeatsRow, 'seats' | 'accepted_count'>, d: SeatsRow['devices'][number]) =>
  Math.max(
    0,
    Math.min(row.seats - row.accepted_count, d.quota === null ? Number.POSITIVE_INFINITY : d.quota - d.accepted),
  );

export function toSeats(row: SeatsRow): BetaSeats {
  return {
    seats: row.seats,
    accepted: row.accepted_count,
    seatsLeft: Math.max(0, row.seats - row.accepted_count),
    waitlistLength: row.waitlist_length,
    devices: row.devices.map((d) => ({ model: d.model, seatsLeft: modelSeatsLeft(row, d) })),
    version: row.seats_version,
  };
}

/** A program with its categories and seats, as every program read needs it. */
function programs(db: Db) {
  return db
    .selectFrom('beta_programs as p')
    .innerJoin('categories as c', 'c.id', 'p.category_id')
    .leftJoin('categories as f', 'f.id', 'p.feedback_category_id')
    .selectAll('p')
    .select([
      'c.slug as category_slug',
      'c.name as category_name',
      'f.slug as feedback_slug',
      'f.name as feedback_name',
      sql<number>`(select count(*)::int from beta_applications w
                   where w.program_id = p.id and w.status = 'waitlisted')`.as('waitlist_length'),
      sql<{ model: string; quota: number | null; accepted: number }[]>`(
        select coalesce(json_agg(json_build_object('model', d.model, 'quota', d.quota, 'accepted', d.accepted_count)
                                 order by d.position), '[]')
        from beta_program_devices d where d.program_id = p.id)`.as('devices'),
    ]);
}
export type ProgramRow = Awaited<ReturnType<ReturnType<typeof programs>['executeTakeFirstOrThrow']>>;

/** The reader's applications' columns, with the waitlist position of a waitlisted one. */
const myApplicationColumns = [
  'a.id',
  'a.program_id',
  'a.status',
  'a.device_model',
  'a.region',
  'a.quiz_score',
  'a.tester_number',
  'a.reason',
  'a.applied_at',
  'a.decided_at',
  sql<number | null>`case when a.status = 'waitlisted' then (
      select count(*)::int from beta_applications w
      where w.program_id = a.program_id and w.status = 'waitlisted' and w.waitlist_seq <= a.waitlist_seq) end`.as(
    'waitlist_position',
  ),
] as const;

/** One program, for a reader who may see it (404 otherwise). */
export async function getProgram(
  db: Db,
  viewer: User | null,
  by: { id: number } | { slug: string },
): Promise<BetaProgram> {
  let q = programs(db);
  q = 'id' in by ? q.where('p.id', '=', by.id) : q.where('p.slug', '=', by.slug);
  const row = await q.executeTakeFirst();
  if (!row || !betaPolicy.see(viewer, row).ok) throw notFound('The beta program');
  if (viewer === null) return toProgram(row, viewer, null, new Date());
  return toProgram(row, viewer, (await myApplicationTo(db, viewer, row.id)) ?? null, new Date());
}

/** The reader's application to one program (one query: the answer to applying and withdrawing). */
export async function myApplicationTo(db: Db, user: User, programId: number): Promise<MyBetaApplication | undefined> {
  const row = await db
    .selectFrom('beta_applications as a')
    .innerJoin('beta_programs as p', 'p.id', 'a.program_id')
    .select([...myApplicationColumns, 'p.slug as program_slug', 'p.name as program_name', 'p.state as program_state'])
    .where('a.program_id', '=', programId)
    .where('a.user_id', '=', user.id)
    .executeTakeFirst();
  return row ? toMyApplication(row as MyApplicationRow, user) : undefined;
}

/** Programs, newest first; drafts only for managers; archived only when asked for. */
export async function listPrograms(db: Db, viewer: User | null, query: BetaProgramListQuery): Promise<BetaProgramList> {
  const limit = query.limit ?? 25;
  const after = decodeCursor(query.cursor, ['id']);
  const manager = can(viewer, 'manageBetaPrograms');
  let q = programs(db)
    .select(
      viewer
        ? sql<
            string | null
          >`(select status from beta_applications m where m.program_id = p.id and m.user_id = ${viewer.id})`.as(
            'my_status',
          )
        : sql<string | null>`null`.as('my_status'),
    )
    .orderBy('p.id', 'desc')
    .limit(limit + 1);
  if (query.state) {
    if (query.state === 'draft' && !manager) return { items: [], nextCursor: null, canCreate: false };
    q = q.where('p.state', '=', query.state);
  } else {
    q = q.where('p.state', 'in', manager ? ['draft', 'open', 'closed'] : ['open', 'closed']);
  }
  if (query.category) q = q.where('p.category_id', '=', query.category);
  if (after) q = q.where('p.id', '<', after[0]);
  const rows = await q.execute();
  const now = new Date();
  return {
    ...toPage(
      rows,
      limit,
      (r) => toSummary(r, r.my_status as never, now),
      (r) => [r.id],
    ),
    canCreate: manager,
  };
}

/** The reader's applications, newest first. */
export async function myApplications(db: Db, user: User): Promise<MyBetaApplication[]> {
  const rows = await db
    .selectFrom('beta_applications as a')
    .innerJoin('beta_programs as p', 'p.id', 'a.program_id')
    .select([...myApplicationColumns, 'p.slug as program_slug', 'p.name as program_name', 'p.state as program_state'])
    .where('a.user_id', '=', user.id)
    .orderBy('a.id', 'desc')
    .limit(200)
    .execute();
  return rows.map((r) => toMyApplication(r as MyApplicationRow, user));
}

/** The program row a manager reads, or 404. */
export async function programForManager(db: Db, programId: number) {
  const program = await db
    .selectFrom('beta_programs')
    .select(['id', 'feedback_category_id', 'slug'])
    .where('id', '=', programId)
    .executeTakeFirst();
  if (!program) throw notFound('The beta program');
  return program;
}

/**
 * The management columns of an application: the applicant, the decider, the waitlist position,
 * the review item and the tester's activity (posts in the feedback category, last seen).
 */
function applicationRows(db: Db, feedbackCategoryId: number | null) {
  return db
    .selectFrom('beta_applications as a')
    .innerJoin('users as u', 'u.id', 'a.user_id')
    .leftJoin('users as d', 'd.id', 'a.decided_by')
    .leftJoin('reviewables as r', 'r.beta_application_id', 'a.id')
    .select([
      ...myApplicationColumns,
      'a.decided_by',
      'u.username',
      'a.user_id',
      'u.last_seen_at',
      'd.username as decided_by_username',
      'r.id as reviewable_id',
      (feedbackCategoryId === null
        ? sql<number>`0`
        : sql<number>`(select count(*)::int from posts fp join threads ft on ft.id = fp.thread_id
                       where fp.author_id = a.user_id and ft.category_id = ${feedbackCategoryId}
                         and fp.deleted_at is null and ft.deleted_at is null)`
      ).as('feedback_count'),
    ]);
}

/** The applications table: filters, application order (oldest first), keyset-paged by id. */
export async function listApplications(
  db: Db,
  programId: number,
  query: BetaApplicationListQuery,
): Promise<BetaApplicationPage> {
  const program = await programForManager(db, programId);
  const limit = query.limit ?? 50;
  const after = decodeCursor(query.cursor, ['id']);
  const from = parseQueryTime(query.appliedFrom, 'appliedFrom');
  const to = parseQueryTime(query.appliedTo, 'appliedTo');
  if (query.minScore !== undefined && query.maxScore !== undefined && query.minScore > query.maxScore) {
    throw new AppError(400, ErrorCodes.validationFailed, '`minScore` must not be more than `maxScore`.');
  }
  let q = applicationRows(db, program.feedback_category_id)
    .where('a.program_id', '=', programId)
    .orderBy('a.id')
    .limit(limit + 1);
  if (query.status) q = q.where('a.status', '=', query.status);
  if (query.device) q = q.where('a.device_model', '=', query.device);
  if (query.region) q = q.where('a.region', '=', query.region);
  if (query.minScore !== undefined) q = q.where('a.quiz_score', '>=', query.minScore);
  if (query.maxScore !== undefined) q = q.where('a.quiz_score', '<=', query.maxScore);
  if (from) q = q.where('a.applied_at', '>=', from);
  if (to) q = q.where('a.applied_at', '<', to);
  if (after) q = q.where('a.id', '>', after[0]);
  const rows = await q.execute();
  return toPage(
    rows,
    limit,
    (r) => toApplication(r as ApplicationRow),
    (r) => [r.id],
  );
}

/** One application in the management shape (after a decision). */
export async function getApplication(db: Db, applicationId: number) {
  const found = await db
    .selectFrom('beta_applications as a')
    .innerJoin('beta_programs as p', 'p.id', 'a.program_id')
    .select(['p.feedback_category_id'])
    .where('a.id', '=', applicationId)
    .executeTakeFirst();
  if (!found) throw notFound('The application');
  const row = await applicationRows(db, found.feedback_category_id)
    .where('a.id', '=', applicationId)
    .executeTakeFirstOrThrow();
  return toApplication(row as ApplicationRow);
}

/**
 * The program's testers (accepted and removed: everyone who got a tester number), by tester
 * number: the testers export streams it from one cursor (http/exports.ts).
 */
export function testerExportQuery(db: Db, programId: number, feedbackCategoryId: number | null) {
  return applicationRows(db, feedbackCategoryId)
    .where('a.program_id', '=', programId)
    .where('a.tester_number', 'is not', null)
    .orderBy('a.tester_number');
}
