import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../db/connect';
import { GroupCommit, type Waiter } from '../db/group-commit';
import type { NotificationLevel } from '../db/schema';

/** One reader's marks on a page of a thread. */
export interface ReaderMarks {
  /** Their read marker (null: never read). */
  lastReadPostNumber: number | null;
  /** Whether someone other than the author replied (only looked up for the thread's author). */
  othersReplied: boolean;
  /** Their notification level of the thread in force (notifications/levels.ts). */
  notificationLevel: NotificationLevel;
  /** The page's posts they liked, flagged, and bookmarked. */
  liked: number[];
  flagged: number[];
  bookmarked: number[];
}

export interface MarksRequest {
  userId: number;
  threadId: number;
  postIds: number[];
}

/**
 * The marks of several readers on several pages in one statement (undefined where the thread is
 * gone). The requests travel as one JSON parameter: their post ids differ in number.
 */
export async function readReaderMarks(db: Db, requests: MarksRequest[]): Promise<(ReaderMarks | undefined)[]> {
  const { rows } = await sql<{
    i: number;
    found: boolean;
    last_read_post_number: number | null;
    others_replied: boolean;
    notification_level: NotificationLevel;
    liked: number[];
    flagged: number[];
    bookmarked: number[];
  }>`select r.i, t.id is not null as found,
       (select tr.last_read_post_number from thread_reads tr
        where tr.thread_id = r.thread_id and tr.user_id = r.user_id) as last_read_post_number,
       coalesce(t.author_id = r.user_id and exists (select 1 from posts o
         where o.thread_id = t.id and o.author_id <> t.author_id and o.deleted_at is null), false) as others_replied,
       thread_notification_level(r.user_id, r.thread_id) as notification_level,
       (select coalesce(json_agg(l.post_id), '[]') from post_likes l
        where l.user_id = r.user_id and l.post_id = any(r.post_ids)) as liked,
       (select coalesce(json_agg(f.post_id), '[]') from flags f
        where f.user_id = r.user_id and f.post_id = any(r.post_ids)) as flagged,
       (select coalesce(json_agg(b.post_id), '[]') from bookmarks b
        where b.user_id = r.user_id and b.post_id = any(r.post_ids)) as bookmarked
     from json_to_recordset(${JSON.stringify(
       requests.map((r, i) => ({ i, user_id: r.userId, thread_id: r.threadId, post_ids: r.postIds })),
     )}::json) as r(i int, user_id bigint, thread_id bigint, post_ids bigint[])
       left join threads t on t.id = r.thread_id`.execute(db);
  const marks: (ReaderMarks | undefined)[] = new Array(requests.length).fill(undefined);
  for (const row of rows) {
    if (!row.found) continue;
    marks[row.i] = {
      lastReadPostNumber: row.last_read_post_number,
      othersReplied: row.others_replied,
      notificationLevel: row.notification_level,
      liked: row.liked,
      flagged: row.flagged,
      bookmarked: row.bookmarked,
    };
  }
  return marks;
}

interface Pending extends Waiter<ReaderMarks | undefined>, MarksRequest {}

/** The most requests one statement carries. */
const MAX_BATCH = 200;

/**
 * Signed-in thread pages' marks, batched: every page a signed-in member reads needs their marks
 * (one small query), and on two cores a round trip to PostgreSQL costs more in waking the other
 * side than in the query. Requests that arrive while a statement is under way share the next
 * one, so fifty readers at once cost a few statements instead of fifty. Nothing is kept: each
 * answer is read after its request arrived.
 */
export class ReaderMarksLoader {
  private readonly batches: GroupCommit<ReaderMarks | undefined, Pending>;
  /** Statements run and requests answered so far (tests and diagnostics). */
  readonly stats = { statements: 0, requests: 0 };

  constructor(
    private readonly db: Db,
    log: FastifyBaseLogger,
  ) {
    this.batches = new GroupCommit((batch) => this.readBatch(batch), log, {
      what: 'reader marks',
      maxBatch: MAX_BATCH,
    });
  }

  load(request: MarksRequest): Promise<ReaderMarks | undefined> {
    return this.batches.submit((resolve, reject) => ({ ...request, resolve, reject }));
  }

  close(): Promise<void> {
    return this.batches.close();
  }

  private async readBatch(batch: Pending[]) {
    this.stats.statements += 1;
    this.stats.requests += batch.length;
    const marks = await readReaderMarks(this.db, batch);
    for (const [i, p] of batch.entries()) p.resolve(marks[i]);
  }
}
