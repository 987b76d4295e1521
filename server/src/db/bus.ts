import { type RawBuilder, sql } from 'kysely';
import type { Tx } from './tx';

/** The one PostgreSQL notification channel every server process LISTENs on. */
export const PG_CHANNEL = 'fanlab_live';
/** pg_notify payloads must stay under 8000 bytes: publish ids and counts, not documents. */
const MAX_PAYLOAD = 7_500;

export interface LiveMessage {
  /** `kind:key`, e.g. `user:42`. */
  channel: string;
  event: string;
  /** The channel's monotonic cursor after this event, when the channel keeps one. */
  cursor: number | null;
  data: unknown;
}

/**
 * Announces a change to every server process. Inside a transaction the notification is
 * delivered at commit (and never, on rollback), so publish in the same transaction as the write.
 */
export async function publish(tx: Tx, message: LiveMessage): Promise<void> {
  await publishMany(tx, [message]);
}

/**
 * SQL that announces the JSON `payload` (an expression of the statement, e.g. one per row it
 * wrote), for a statement that writes and announces at once. As with publish, delivered at commit.
 * The payload must be one of the small fixed shapes (ids and counts) that stay under pg_notify's
 * 8,000 bytes: PostgreSQL refuses a longer one, failing the statement.
 */
export function notifySql(payload: RawBuilder<string>): RawBuilder<void> {
  return sql<void>`pg_notify(${PG_CHANNEL}, ${payload})`;
}

/** Several announcements in one statement (a vote batch announces every idea it changed). */
export async function publishMany(tx: Tx, messages: LiveMessage[]): Promise<void> {
  if (!messages.length) return;
  const payloads = messages.map((message) => {
    const payload = JSON.stringify(message);
    if (Buffer.byteLength(payload) > MAX_PAYLOAD) {
      throw new Error(`live message for ${message.channel} is ${Buffer.byteLength(payload)} bytes; keep it small`);
    }
    return payload;
  });
  if (payloads.length === 1) await sql`select pg_notify(${PG_CHANNEL}, ${payloads[0]})`.execute(tx);
  else
    await sql`select pg_notify(${PG_CHANNEL}, p) from unnest(${payloads}::text[]) with ordinality as u(p, i) order by i`.execute(
      tx,
    );
}
