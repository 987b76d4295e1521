import { type Kysely, sql } from 'kysely';

// Votes from new members (trust level 0) wait here while the `newMemberVotesHeld` setting is on.
// They are not idea_votes: every count, trending score, voter list and export reads idea_votes
// only, so a held vote cannot leak into a number. When the member reaches trust level 1 (or
// staff turn the setting off), each held vote becomes a counted vote with the time it was cast;
// one on an idea since merged counts on the idea it was merged into; one on an idea since closed
// or deleted is dropped (votes on closed ideas are final). See docs/ideas.md.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table held_votes (
      idea_id bigint not null references threads (id),
      user_id bigint not null references users (id) on delete cascade,
      created_at timestamptz not null default now(),
      primary key (idea_id, user_id)
    )`.execute(db);
  await sql`create index held_votes_user_idx on held_votes (user_id, idea_id)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
