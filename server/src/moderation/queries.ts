import {
  type FlagReason,
  type HoldReason,
  QUEUE_FLAGS_SHOWN,
  type ReviewableApplication,
  type ReviewableStatus,
  type ReviewableType,
} from '@fanlab/shared';
import { sql } from 'kysely';
import type { Db } from '../db/connect';

export interface QueueFilter {
  status: ReviewableStatus;
  type?: ReviewableType;
  categoryId?: number;
  reason?: FlagReason | HoldReason | 'beta_application';
  /** Only applications to this beta program. */
  programId?: number;
  minAgeHours?: number;
  /** Include items deferred until later (hidden from the pending queue by default). */
  includeDeferred?: boolean;
}

/** A flag as the API shows it; `created_at` is ISO 8601 (UTC, milliseconds), as toISOString() writes it. */
export interface FlagRow {
  reviewable_id: number;
  user_id: number;
  username: string;
  reason: FlagReason;
  message: string | null;
  duplicate_of: number | null;
  duplicate_title: string | null;
  weight: number;
  created_at: string;
}

/** A review item with its post, thread and people; the queue reads `excerpt`, the item `cooked` too. */
export interface ReviewableRow {
  id: number;
  type: ReviewableType;
  status: ReviewableStatus;
  score: number;
  flag_count: number;
  top_reason: FlagReason | HoldReason | 'beta_application';
  /** queued_post: a reply or a new thread. */
  held_kind: 'reply' | 'thread' | null;
  reasons: Partial<Record<FlagReason, { count: number; weight: number }>>;
  version: number;
  created_at: Date;
  decided_at: Date | null;
  deferred_until: Date | null;
  decided_by: number | null;
  decided_by_username: string | null;
  claimed_by: number | null;
  claimed_by_username: string | null;
  /** null: a held post not approved. */
  post_id: number | null;
  post_number: number | null;
  excerpt: string;
  post_hidden: boolean;
  post_deleted: boolean;
  author_id: number;
  author_username: string;
  /** null: a held new thread, not started. */
  thread_id: number | null;
  title: string;
  /** null: the category was deleted (decided items only). */
  category_id: number | null;
  category_slug: string | null;
  category_name: string | null;
  /** beta_application: the application, in the API's shape (ReviewableApplication). */
  application: ReviewableApplication | null;
}

export interface QueueRow extends ReviewableRow {
  /** The newest QUEUE_FLAGS_SHOWN flags, newest first. */
  latest_flags: FlagRow[];
}

export interface ReviewableDetailRow extends ReviewableRow {
  cooked: string;
}

/** SQL: a timestamptz as toISOString() would write it (JSON carries it without a Date). */
const isoTime = (column: string) =>
  sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Review items with what they are about. A flagged post's item has its post and thread; a held
 * post's has the held text (`queued_posts`) until it is approved (then its post), and a held new
 * thread has no thread yet (the title is the held one).
 */
function selectReviewables(db: Db) {
  return db
    .selectFrom('reviewables as r')
    .leftJoin('posts as p', 'p.id', 'r.post_id')
    .leftJoin('queued_posts as q', 'q.id', 'r.queued_post_id')
    .innerJoin('users as a', 'a.id', 'r.target_author_id')
    .leftJoin('threads as t', 't.id', 'r.thread_id')
    .leftJoin('categories as c', 'c.id', 'r.category_id')
    .leftJoin('users as d', 'd.id', 'r.decided_by')
    .leftJoin('users as cl', 'cl.id', 'r.claimed_by')
    .leftJoin('beta_applications as ba', 'ba.id', 'r.beta_application_id')
    .leftJoin('beta_programs as bp', 'bp.id', 'ba.program_id')
    .leftJoin('beta_program_devices as bd', (j) =>
      j.onRef('bd.program_id', '=', 'ba.program_id').onRef('bd.model', '=', 'ba.device_model'),
    )
    .select([
      'r.id',
      'r.type',
      'r.status',
      'r.score',
      'r.flag_count',
      'r.top_reason',
      'q.kind as held_kind',
      'r.reasons',
      'r.version',
      'r.created_at',
      'r.decided_at',
      'r.deferred_until',
      'r.decided_by',
      'd.username as decided_by_username',
      'r.claimed_by',
      'cl.username as claimed_by_username',
      'p.id as post_id',
      'p.post_number',
      sql<string>`coalesce(p.excerpt, post_excerpt(q.cooked), ba.device_model || ' · ' || ba.region, '')`.as('excerpt'),
      sql<boolean>`coalesce(p.hidden_at is not null, false)`.as('post_hidden'),
      sql<boolean>`coalesce(p.deleted_at is not null, false)`.as('post_deleted'),
      'a.id as author_id',
      'a.username as author_username',
      't.id as thread_id',
      sql<string>`coalesce(t.title, q.title, bp.name, '')`.as('title'),
      'c.id as category_id',
      'c.slug as category_slug',
      'c.name as category_name',
      sql<ReviewableApplication | null>`case when ba.id is null then null else json_build_object(
          'id', ba.id,
          'program', json_build_object('id', bp.id, 'slug', bp.slug, 'name', bp.name),
          'deviceModel', ba.device_model, 'region', ba.region, 'quizScore', ba.quiz_score,
          'passMark', (bp.quiz->>'passMark')::int,
          'seatsLeft', greatest(0, least(bp.seats - bp.accepted_count, coalesce(bd.quota - bd.accepted_count, bp.seats))))
        end`.as('application'),
    ]);
}

/**
 * One page of the queue in one query: highest score first, then oldest (keyset on score and id;
 * the index reviewables_queue_idx serves it), each item with its post's excerpt (not the cooked
 * HTML) and its newest `QUEUE_FLAGS_SHOWN` flags as JSON (an index range of flags_reviewable_idx
 * per item), so a page of much-flagged items stays small and costs one round trip.
 */
export async function listQueue(
  db: Db,
  filter: QueueFilter,
  limit: number,
  after?: readonly [number, number],
): Promise<QueueRow[]> {
  let q = selectReviewables(db)
    .select(
      sql<FlagRow[]>`(
        select coalesce(json_agg(json_build_object(
                 'reviewable_id', f.reviewable_id, 'user_id', f.user_id, 'username', u.username,
                 'reason', f.reason, 'message', f.message, 'duplicate_of', f.duplicate_of,
                 'duplicate_title', dup.title, 'weight', f.weight, 'created_at', ${isoTime('f.created_at')}
               ) order by f.id desc), '[]'::json)
        from (select * from flags where flags.reviewable_id = r.id order by flags.id desc limit ${sql.lit(QUEUE_FLAGS_SHOWN)}) f
        join users u on u.id = f.user_id
        left join threads dup on dup.id = f.duplicate_of
      )`.as('latest_flags'),
    )
    .where('r.status', '=', filter.status);
  if (filter.type) q = q.where('r.type', '=', filter.type);
  if (filter.categoryId !== undefined) q = q.where('r.category_id', '=', filter.categoryId);
  if (filter.reason) q = q.where('r.top_reason', '=', filter.reason);
  if (filter.programId !== undefined) q = q.where('ba.program_id', '=', filter.programId);
  if (filter.minAgeHours)
    q = q.where('r.created_at', '<=', sql<Date>`now() - ${filter.minAgeHours} * interval '1 hour'`);
  if (filter.status === 'pending' && !filter.includeDeferred) {
    q = q.where((eb) => eb.or([eb('r.deferred_until', 'is', null), eb('r.deferred_until', '<=', sql<Date>`now()`)]));
  }
  if (after) {
    const [score, id] = after;
    q = q.where(sql<boolean>`(r.score < ${score} or (r.score = ${score} and r.id > ${id}))`);
  }
  return (await q
    .orderBy('r.score', 'desc')
    .orderBy('r.id', 'asc')
    .limit(limit + 1)
    .execute()) as QueueRow[];
}

/** One item with its post's whole cooked HTML. */
export async function findReviewable(db: Db, id: number): Promise<ReviewableDetailRow | undefined> {
  return (await selectReviewables(db)
    .select(sql<string>`coalesce(p.cooked, q.cooked, '')`.as('cooked'))
    .where('r.id', '=', id)
    .executeTakeFirst()) as ReviewableDetailRow | undefined;
}

/** Every flag of one reviewable, newest first. */
export async function flagsOf(db: Db, reviewableId: number): Promise<FlagRow[]> {
  return db
    .selectFrom('flags as f')
    .innerJoin('users as u', 'u.id', 'f.user_id')
    .leftJoin('threads as d', 'd.id', 'f.duplicate_of')
    .select([
      'f.reviewable_id',
      'f.user_id',
      'u.username',
      'f.reason',
      'f.message',
      'f.duplicate_of',
      'd.title as duplicate_title',
      'f.weight',
      isoTime('f.created_at').as('created_at'),
    ])
    .where('f.reviewable_id', '=', reviewableId)
    .orderBy('f.id', 'desc')
    .execute();
}

/** Items waiting for a decision now (deferred ones not counted). */
export async function pendingCount(db: Db): Promise<number> {
  const row = await db
    .selectFrom('reviewables')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('deferred_until', 'is', null), eb('deferred_until', '<=', sql<Date>`now()`)]))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A member as moderators see them (undefined: no such user). */
export async function memberStanding(db: Db, userId: number) {
  const user = await db
    .selectFrom('users')
    .select([
      'id',
      'username',
      'role',
      'silenced_until',
      'silence_reason',
      'suspended_until',
      'suspend_reason',
      'flags_agreed',
      'flags_disagreed',
      'trust_level',
      'trust_level_locked',
    ])
    .select((eb) =>
      eb
        .selectFrom('reviewables')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('reviewables.target_author_id', '=', 'users.id')
        .where('reviewables.status', '=', 'agreed')
        .as('posts_hidden'),
    )
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) return undefined;
  const notes = await db
    .selectFrom('staff_notes as n')
    .innerJoin('users as a', 'a.id', 'n.author_id')
    .select(['n.id', 'n.body', 'n.created_at', 'a.id as author_id', 'a.username as author_username'])
    .where('n.user_id', '=', userId)
    .orderBy('n.id', 'desc')
    .limit(100)
    .execute();
  return { user, notes };
}

/** A member's own held posts, newest first (one of them with `only`): what waits, and what was decided. */
export function ownQueuedPosts(db: Db, authorId: number, page: { limit: number; beforeId?: number; only?: number }) {
  const { limit, beforeId, only } = page;
  let q = db
    .selectFrom('queued_posts as q')
    .leftJoin('categories as c', 'c.id', 'q.category_id')
    .leftJoin('posts as p', 'p.id', 'q.post_id')
    // the thread the post is in now (it may have moved since), else the one it was written for
    .leftJoin('threads as t', (join) => join.on(sql<boolean>`t.id = coalesce(p.thread_id, q.thread_id)`))
    .select([
      'q.id',
      'q.kind',
      'q.status',
      'q.reason',
      'q.title',
      'q.cooked',
      'q.created_at',
      'q.decided_at',
      'q.thread_kind',
      'c.id as category_id',
      'c.slug as category_slug',
      'c.name as category_name',
      't.id as thread_id',
      't.title as thread_title',
      'p.post_number',
    ])
    .where('q.author_id', '=', authorId);
  if (beforeId !== undefined) q = q.where('q.id', '<', beforeId);
  if (only !== undefined) q = q.where('q.id', '=', only);
  return q
    .orderBy('q.id', 'desc')
    .limit(limit + 1)
    .execute();
}

export type OwnQueuedPostRow = Awaited<ReturnType<typeof ownQueuedPosts>>[number];
