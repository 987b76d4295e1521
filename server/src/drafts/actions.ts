import { DRAFTS_PER_USER, type Draft, type SaveDraftBody } from '@fanlab/shared';
import { sql } from 'kysely';
import type { Tx } from '../db/tx';
import { toDraft } from './present';

/**
 * Saves the member's draft for a place; a draft with no text at all is forgotten instead (null).
 * Past DRAFTS_PER_USER drafts, their oldest others are forgotten in the same transaction; the
 * member's row is locked first, so two saves at once cannot both pass the limit.
 */
export async function saveDraft(tx: Tx, userId: number, key: string, input: SaveDraftBody): Promise<Draft | null> {
  const title = input.title ?? null;
  if (input.body.trim() === '' && (title ?? '').trim() === '') {
    await deleteDraft(tx, userId, key);
    return null;
  }
  await sql`select id from users where id = ${userId} for update`.execute(tx);
  const row = await tx
    .insertInto('drafts')
    .values({ user_id: userId, key, title, body: input.body })
    .onConflict((oc) =>
      oc.columns(['user_id', 'key']).doUpdateSet({ title, body: input.body, saved_at: sql<Date>`now()` }),
    )
    .returning(['key', 'title', 'body', 'saved_at'])
    .executeTakeFirstOrThrow();
  await sql`
    delete from drafts where user_id = ${userId} and key in (
      select key from drafts where user_id = ${userId} and key <> ${key}
      order by saved_at desc, key offset ${DRAFTS_PER_USER - 1})`.execute(tx);
  return toDraft(row);
}

/** Forgets the member's draft for a place (sent, or thrown away); nothing when there is none. */
export async function deleteDraft(tx: Tx, userId: number, key: string): Promise<void> {
  await tx.deleteFrom('drafts').where('user_id', '=', userId).where('key', '=', key).execute();
}
