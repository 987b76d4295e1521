import { type Kysely, sql } from 'kysely';

// Categories, threads, posts (with revisions), likes, read markers, notifications, full-text search.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists unaccent`.execute(db);
  await sql`create extension if not exists pg_trgm`.execute(db);
  // Search configuration for English and the other Latin-script languages of the forum:
  // no stemming (one config serves every language), accents folded ("canción" = "cancion").
  await sql`create text search configuration fanlab (copy = simple)`.execute(db);
  await sql`alter text search configuration fanlab
    alter mapping for hword, hword_part, word with unaccent, simple`.execute(db);

  await db.schema
    .createTable('categories')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('parent_id', 'bigint', (c) => c.references('categories.id').onDelete('restrict'))
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('color', 'text', (c) => c.notNull().defaultTo('#5b3cc4').check(sql`color ~ '^#[0-9a-f]{6}$'`))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locale', 'text')
    .addColumn('allow_discussions', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('allow_ideas', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('who_can_start', 'text', (c) =>
      c.notNull().defaultTo('everyone').check(sql`who_can_start in ('everyone', 'staff')`),
    )
    .addColumn('thread_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('categories_not_own_parent', sql`parent_id is distinct from id`)
    .execute();

  await db.schema
    .createTable('threads')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('category_id', 'bigint', (c) => c.notNull().references('categories.id'))
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('discussion').check(sql`kind in ('discussion', 'idea')`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('author_id', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // last activity (new visible post): the "latest" sort
    .addColumn('bumped_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_poster_id', 'bigint', (c) => c.notNull().references('users.id'))
    // highest post number ever given (deleted posts keep their numbers); read markers compare with it
    .addColumn('highest_post_number', 'integer', (c) => c.notNull().defaultTo(1))
    // visible (not deleted) posts, first post included; replies = post_count - 1
    .addColumn('post_count', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('like_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pinned_at', 'timestamptz')
    .addColumn('locked_at', 'timestamptz')
    .addColumn('unlisted', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('deleted_at', 'timestamptz')
    .addColumn('deleted_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('title_vector', sql`tsvector`, (c) =>
      c.generatedAlwaysAs(sql`to_tsvector('fanlab'::regconfig, title)`).stored(),
    )
    .execute();
  // Keyset indexes for each sort of a category list (pinned first) and of "Latest" across all.
  const live = sql`where deleted_at is null and not unlisted`;
  await sql`create index threads_cat_latest_idx on threads (category_id, (pinned_at is not null) desc, bumped_at desc, id desc) ${live}`.execute(
    db,
  );
  await sql`create index threads_cat_newest_idx on threads (category_id, (pinned_at is not null) desc, created_at desc, id desc) ${live}`.execute(
    db,
  );
  await sql`create index threads_cat_replies_idx on threads (category_id, (pinned_at is not null) desc, post_count desc, id desc) ${live}`.execute(
    db,
  );
  await sql`create index threads_cat_likes_idx on threads (category_id, (pinned_at is not null) desc, like_count desc, id desc) ${live}`.execute(
    db,
  );
  await sql`create index threads_latest_idx on threads (bumped_at desc, id desc) ${live}`.execute(db);
  await sql`create index threads_author_idx on threads (author_id, created_at desc, id desc)`.execute(db);
  await sql`create index threads_title_vector_idx on threads using gin (title_vector)`.execute(db);

  await db.schema
    .createTable('posts')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('thread_id', 'bigint', (c) => c.notNull().references('threads.id'))
    .addColumn('post_number', 'integer', (c) => c.notNull())
    .addColumn('author_id', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('reply_to_post_number', 'integer')
    .addColumn('raw', 'text', (c) => c.notNull())
    .addColumn('cooked', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('edited_at', 'timestamptz')
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('like_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('deleted_at', 'timestamptz')
    .addColumn('deleted_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('body_vector', sql`tsvector`, (c) =>
      c.generatedAlwaysAs(sql`to_tsvector('fanlab'::regconfig, raw)`).stored(),
    )
    .addUniqueConstraint('posts_thread_number_key', ['thread_id', 'post_number'])
    .execute();
  await sql`create index posts_author_idx on posts (author_id, created_at desc, id desc)`.execute(db);
  await sql`create index posts_body_vector_idx on posts using gin (body_vector)`.execute(db);
  // fallback for scripts without word boundaries (中文) and substrings
  await sql`create index posts_raw_trgm_idx on posts using gin (raw gin_trgm_ops)`.execute(db);

  await db.schema
    .createTable('post_revisions')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('post_id', 'bigint', (c) => c.notNull().references('posts.id'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('raw', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('editor_id', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('post_revisions_post_revision_key', ['post_id', 'revision'])
    .execute();

  await db.schema
    .createTable('post_likes')
    .addColumn('post_id', 'bigint', (c) => c.notNull().references('posts.id'))
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('post_likes_pkey', ['post_id', 'user_id'])
    .execute();
  await sql`create index post_likes_user_idx on post_likes (user_id, created_at desc)`.execute(db);

  await db.schema
    .createTable('thread_reads')
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('thread_id', 'bigint', (c) => c.notNull().references('threads.id'))
    .addColumn('last_read_post_number', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('thread_reads_pkey', ['user_id', 'thread_id'])
    .execute();

  // Notifications. `seq` comes from one sequence and is renewed whenever a row changes (a grouped
  // like notification gains a liker): it is the cursor of the user's live channel.
  await sql`create sequence notification_seq`.execute(db);
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('thread_id', 'bigint', (c) => c.references('threads.id'))
    .addColumn('post_id', 'bigint', (c) => c.references('posts.id'))
    .addColumn('actor_id', 'bigint', (c) => c.references('users.id'))
    .addColumn('actor_count', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('data', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('seq', 'bigint', (c) => c.notNull().defaultTo(sql`nextval('notification_seq')`))
    .addColumn('read_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index notifications_user_idx on notifications (user_id, id desc)`.execute(db);
  await sql`create index notifications_user_seq_idx on notifications (user_id, seq)`.execute(db);
  await sql`create index notifications_unread_idx on notifications (user_id) where read_at is null`.execute(db);
  // at most one unread like notification per post: further likes join it ("3 people liked…")
  await sql`create unique index notifications_like_group_idx on notifications (user_id, post_id)
            where kind = 'like' and read_at is null`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
