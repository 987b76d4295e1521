import { type Kysely, sql } from 'kysely';

// A vote that a merge put on the target idea remembers that merge; a vote cast there directly
// has none. Unmerging removes exactly the target's votes that still carry its merge: a vote taken
// back and cast again, or cast again while counted through the merge, is the voter's own.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table idea_votes add column merge_id bigint references idea_merges (id)`.execute(db);
  await backfillMergeIds(db);
}

/**
 * Merges still in force from before this column: the votes they added to their target and that
 * are still there (what unmerging removed until now). Should two have added a voter, the later one.
 */
// biome-ignore lint/suspicious/noExplicitAny: runs on any database shape (also from a test)
export async function backfillMergeIds(db: Kysely<any>): Promise<void> {
  await sql`
    update idea_votes v set merge_id = added.merge_id
    from (
      select distinct on (m.to_id, a.user_id) m.id as merge_id, m.to_id, a.user_id
      from idea_merges m cross join lateral unnest(m.added_voter_ids) as a(user_id)
      where m.unmerged_at is null
      order by m.to_id, a.user_id, m.id desc
    ) added
    where v.idea_id = added.to_id and v.user_id = added.user_id and v.merge_id is null`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
