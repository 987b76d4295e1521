import type { FastifyBaseLogger } from 'fastify';
import { type Selectable, sql } from 'kysely';
import { publish } from '../db/bus';
import type { Db } from '../db/connect';
import type { ReleaseFanoutsTable } from '../db/schema';
import { type Tx, withTx } from '../db/tx';
import { publishNotificationBatch } from '../notifications/batch';

/**
 * Telling every voter and author of a release's ideas (100,000 people or more) without holding
 * the publishing request or any lock for long: publication commits a job row
 * (`release_fanouts`), and workers (one in every process) deliver it in chunks (with `parts` > 1
 * the first worker splits it into that many rows by user id, which processes work at once). A chunk is one
 * short transaction that takes the job row (FOR UPDATE SKIP LOCKED: two processes never work
 * one job at once), writes the `released` notifications of the next `chunkSize` people in user
 * id order after the job's cursor, moves the cursor past them and announces the batch on the
 * bus (one message per chunk: notifications/batch.ts). A crash rolls the chunk back whole, cursor
 * included, so the next worker starts where the last commit left off: nobody is skipped, nobody
 * told twice. A unique index (one `released` notification per person per release) holds that
 * too, and makes a later job for the same release (ideas linked after publication) skip those
 * told already. A voter of several of the ideas gets one notification naming them.
 */

/** The live-bus channel a new job is announced on: every process's worker looks at once. */
export const FANOUT_CHANNEL = 'releases:fanout';

export interface FanoutOptions {
  /** People told per chunk (per transaction). */
  chunkSize: number;
  /** How often an idle worker looks for jobs it was not woken for (a process that was down). */
  pollMs: number;
  /**
   * Parts a new job is split into when a worker first takes it (people with user_id % parts =
   * part, a job row and cursor each), so that many processes tell one release's voters at once.
   * 1: one process works the job. More parts finish sooner but take that many cores from the
   * readers meanwhile (docs/performance.md, "Releases").
   */
  parts: number;
}

export const defaultFanout: FanoutOptions = { chunkSize: 2_000, pollMs: 5_000, parts: 1 };

/** Queues the announcement of `ideaIds` in a release, in the caller's transaction. */
export async function queueFanout(
  tx: Tx,
  job: { releaseId: number; ideaIds: number[]; actorId: number | null },
): Promise<void> {
  await tx
    .insertInto('release_fanouts')
    .values({ release_id: job.releaseId, idea_ids: job.ideaIds, actor_id: job.actorId })
    .execute();
  await publish(tx, { channel: FANOUT_CHANNEL, event: 'queued', cursor: null, data: {} });
}

/** What one chunk did: null when there was no job free to work on. */
export interface ChunkResult {
  jobId: number;
  notified: number;
  done: boolean;
}

/** The worker: `step()` is one chunk; `drain()` steps until no job is free. */
export class ReleaseFanout {
  private stopping = false;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly db: Db,
    private readonly log: FastifyBaseLogger,
    private readonly options: FanoutOptions = defaultFanout,
  ) {}

  start(): void {
    this.soon();
  }

  /** Works every free job now (a job was announced, or the poll came round). */
  soon(): void {
    if (this.stopping) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.drain()
      .then(
        () => undefined,
        (err: unknown) => this.log.warn({ err }, 'release fan-out: a chunk failed; retrying later'),
      )
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.soon();
        } else this.schedule();
      });
  }

  private schedule() {
    if (this.stopping) return;
    this.timer = setTimeout(() => this.soon(), this.options.pollMs);
    this.timer.unref();
  }

  /** Steps until no job is free; returns the people told. */
  async drain(): Promise<number> {
    let notified = 0;
    for (;;) {
      if (this.stopping) return notified;
      const result = await this.step();
      if (!result) return notified;
      notified += result.notified;
    }
  }

  /** One chunk of the oldest job no other worker holds, in its own transaction. */
  async step(): Promise<ChunkResult | null> {
    return withTx(this.db, async (tx) => {
      const job = await tx
        .selectFrom('release_fanouts')
        .selectAll()
        .where('done_at', 'is', null)
        .orderBy('id')
        .limit(1)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!job) return null;
      if (this.options.parts > 1 && job.parts === 1 && job.chunks === 0) await this.split(tx, job);
      const release = await tx
        .selectFrom('releases')
        .select(['id', 'version', 'channel'])
        .where('id', '=', job.release_id)
        .executeTakeFirstOrThrow();
      const size = this.options.chunkSize;
      const ideas = sql`${job.idea_ids}::bigint[]`;
      // The next `size` voters after the cursor in user id order, each with the job's ideas they
      // voted for (one pass over idea_votes_user_idx, grouped as it streams), then the ideas'
      // authors up to the last of those voters (at most one per idea; an author who also voted
      // gets one notification naming both), then their notifications. Titles are looked up in one
      // small map made once per chunk. A chunk of fewer than `size` voters is the job's last, and
      // takes every author left. The rows leave thread_id and actor_id empty: the first idea and
      // the actor are in the data (notifications/queries.ts reads them from there), which spares
      // each row two foreign-key checks, a third of its cost.
      const { rows } = await sql<{ users: number; last_user: number | null; first_id: number; last_id: number }>`
        with voters as (
          select v.user_id as u, array_agg(v.idea_id order by v.idea_id) as ids
          from idea_votes v
          where v.idea_id = any(${ideas}) and v.user_id > ${job.after_user_id} and v.user_id % ${job.parts} = ${job.part}
          group by v.user_id order by v.user_id limit ${size}
        ), bound as (
          select case when count(*) < ${size} then null else max(u) end as last from voters
        ), authors as (
          select t.author_id as u, array_agg(t.id order by t.id) as ids
          from threads t, bound b
          where t.id = any(${ideas}) and t.author_id > ${job.after_user_id} and t.author_id % ${job.parts} = ${job.part}
            and (b.last is null or t.author_id <= b.last)
          group by t.author_id
        ), theirs as (
          select coalesce(v.u, a.u) as u,
                 case when a.u is null then v.ids when v.u is null then a.ids
                      else (select array_agg(distinct x order by x) from unnest(v.ids || a.ids) x) end as ids
          from voters v full join authors a on a.u = v.u
        ), titles as (
          select jsonb_object_agg(t.id::text, jsonb_build_object('id', t.id, 'title', t.title)) as m
          from threads t where t.id = any(${ideas})
        ), inserted as (
          insert into notifications (user_id, kind, data)
          select o.u, 'released', jsonb_build_object(
            'releaseId', ${release.id}::bigint, 'version', ${release.version}::text, 'channel', ${release.channel}::text,
            'actorId', ${job.actor_id}::bigint, 'ideaCount', cardinality(o.ids),
            'ideas', (select jsonb_agg((select m from titles) -> (x::text) order by x) from unnest(o.ids[1:3]) x))
          from theirs o
          where o.u is distinct from ${job.actor_id}::bigint
          order by o.u
          on conflict (user_id, ((data->>'releaseId')::bigint)) where kind = 'released' do nothing
          returning id
        )
        select (select count(*)::int from voters) as users,
               (select max(u) from theirs) as last_user,
               coalesce((select min(id) from inserted), 0) as first_id, coalesce((select max(id) from inserted), 0) as last_id,
               (select count(*)::int from inserted) as notified`.execute(tx);
      const chunk = rows[0] as { users: number; last_user: number | null; first_id: number; last_id: number } & {
        notified: number;
      };
      const done = chunk.users < size;
      await tx
        .updateTable('release_fanouts')
        .set((eb) => ({
          after_user_id: chunk.last_user ?? job.after_user_id,
          notified: eb('notified', '+', chunk.notified),
          chunks: eb('chunks', '+', 1),
          ...(done ? { done_at: sql<Date>`now()` } : {}),
        }))
        .where('id', '=', job.id)
        .execute();
      if (chunk.notified > 0 && chunk.last_user !== null) {
        await publishNotificationBatch(tx, {
          kind: 'released',
          users: [job.after_user_id + 1, chunk.last_user],
          modulo: [job.parts, job.part],
          ids: [chunk.first_id, chunk.last_id],
        });
      }
      return { jobId: job.id, notified: chunk.notified, done };
    });
  }

  /** Splits a job no chunk of which was written into `parts` rows, this one becoming part 0. */
  private async split(tx: Tx, job: Selectable<ReleaseFanoutsTable>): Promise<void> {
    const parts = this.options.parts;
    await tx.updateTable('release_fanouts').set({ parts }).where('id', '=', job.id).execute();
    await tx
      .insertInto('release_fanouts')
      .values(
        Array.from({ length: parts - 1 }, (_, i) => ({
          release_id: job.release_id,
          idea_ids: job.idea_ids,
          actor_id: job.actor_id,
          part: i + 1,
          parts,
        })),
      )
      .execute();
    await publish(tx, { channel: FANOUT_CHANNEL, event: 'queued', cursor: null, data: {} });
    job.parts = parts;
  }

  /** Stops taking chunks and waits for the one being written. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
