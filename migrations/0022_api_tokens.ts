import { type Kysely, sql } from 'kysely';

// Personal API tokens (product managers' exports): only a SHA-256 of the secret is stored, so a
// leaked database leaks no usable token. Revoked tokens stay listed (revoked_at) until they
// would have expired; the owner's account deletion takes them along.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table api_tokens (
      id bigint generated always as identity primary key,
      user_id bigint not null references users (id) on delete cascade,
      name text not null,
      secret_hash text not null unique,
      prefix text not null,
      scopes text[] not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      last_used_at timestamptz,
      revoked_at timestamptz,
      check (cardinality(scopes) > 0),
      check (expires_at > created_at)
    )`.execute(db);
  await sql`create index api_tokens_user_idx on api_tokens (user_id, id desc)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
