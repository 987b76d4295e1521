import { type Kysely, sql } from 'kysely';

// Ideas (threads of kind 'idea'): status, official response, tags, votes, merges, status history.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('threads')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('open')
        .check(
          sql`status in ('open', 'under_review', 'planned', 'in_progress', 'in_beta', 'shipped', 'declined', 'duplicate')`,
        ),
    )
    // exact: changed only in the transaction that adds or removes vote rows
    .addColumn('vote_count', 'integer', (c) => c.notNull().defaultTo(0))
    // monotonic per idea: the live channel's cursor
    .addColumn('vote_version', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('official_response_raw', 'text')
    .addColumn('official_response_cooked', 'text')
    .addColumn('official_response_at', 'timestamptz')
    .addColumn('status_changed_at', 'timestamptz')
    .addColumn('merged_into_id', 'bigint', (c) => c.references('threads.id'))
    .addColumn('tags', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    // Σ over live votes of 2^((voted_at − 2026-01-01) / 72 h): ranks exactly like votes decaying
    // with a 72-hour half-life, but never changes with the clock, so it can be indexed and paged
    .addColumn('trending_score', 'float8', (c) => c.notNull().defaultTo(0))
    .execute();

  const ideas = sql`where kind = 'idea' and deleted_at is null and not unlisted`;
  await sql`create index ideas_top_idx on threads (vote_count desc, id desc) ${ideas}`.execute(db);
  await sql`create index ideas_cat_top_idx on threads (category_id, vote_count desc, id desc) ${ideas}`.execute(db);
  await sql`create index ideas_new_idx on threads (created_at desc, id desc) ${ideas}`.execute(db);
  await sql`create index ideas_cat_new_idx on threads (category_id, created_at desc, id desc) ${ideas}`.execute(db);
  await sql`create index ideas_trending_idx on threads (trending_score desc, id desc) ${ideas}`.execute(db);
  await sql`create index ideas_tags_idx on threads using gin (tags) ${ideas}`.execute(db);
  // similar ideas while typing a title
  await sql`create index ideas_title_trgm_idx on threads using gin (title gin_trgm_ops) where kind = 'idea' and deleted_at is null`.execute(
    db,
  );

  await db.schema
    .createTable('idea_votes')
    .addColumn('idea_id', 'bigint', (c) => c.notNull().references('threads.id'))
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('idea_votes_pkey', ['idea_id', 'user_id'])
    .execute();
  await sql`create index idea_votes_user_idx on idea_votes (user_id, idea_id)`.execute(db);
  await sql`create index idea_votes_recent_idx on idea_votes (created_at desc, idea_id)`.execute(db);

  await db.schema
    .createTable('idea_status_changes')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('idea_id', 'bigint', (c) => c.notNull().references('threads.id'))
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('response_cooked', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('actor_id', 'bigint', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index idea_status_changes_idea_idx on idea_status_changes (idea_id, id)`.execute(db);

  // A merge remembers exactly which votes it moved, so that unmerging restores both voter sets.
  await db.schema
    .createTable('idea_merges')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('from_id', 'bigint', (c) => c.notNull().references('threads.id'))
    .addColumn('to_id', 'bigint', (c) => c.notNull().references('threads.id'))
    .addColumn('from_status', 'text', (c) => c.notNull())
    // every vote the merged idea had: [{ user_id, created_at }]
    .addColumn('from_votes', 'jsonb', (c) => c.notNull())
    // the users whose vote the merge added to the target (they had not voted there)
    .addColumn('added_voter_ids', sql`bigint[]`, (c) => c.notNull())
    .addColumn('merged_by', 'bigint', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('merged_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('unmerged_at', 'timestamptz')
    .execute();
  await sql`create unique index idea_merges_active_idx on idea_merges (from_id) where unmerged_at is null`.execute(db);

  // Optional per-category vote budget: a member holds at most N votes on open ideas there.
  await db.schema.alterTable('categories').addColumn('vote_budget', 'integer').execute();

  // Moderation states that voting (and later posting) respects.
  await db.schema
    .alterTable('users')
    .addColumn('silenced_until', 'timestamptz')
    .addColumn('suspended_until', 'timestamptz')
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
