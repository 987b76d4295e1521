import { type Kysely, sql } from 'kysely';

// What each process's cache of API tokens (server/src/auth/session-cache.ts, issue 11's bearer
// requests) is told: a bearer request finds its token and owner in memory; a revoked token must
// stop working at once in every process. A token's revocation, deletion or a change of what it
// grants announces its owner as migration 0029's triggers do (`{ channel: 'cache', event:
// 'users', data: { ids } }`), which drops the owner's cached sessions and tokens. Row triggers
// with a condition, so recording a token's last use (once a minute) announces nothing.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create function cache_api_tokens_owner() returns trigger language plpgsql as $$
      begin
        perform cache_users_notify(array[old.user_id]);
        return null;
      end $$`.execute(db);
  await sql`create trigger cache_api_tokens_owner_update after update on api_tokens for each row
            when (old.revoked_at is distinct from new.revoked_at or old.expires_at is distinct from new.expires_at
                  or old.scopes is distinct from new.scopes or old.secret_hash is distinct from new.secret_hash
                  or old.user_id is distinct from new.user_id)
            execute function cache_api_tokens_owner()`.execute(db);
  await sql`create trigger cache_api_tokens_owner_delete after delete on api_tokens for each row
            execute function cache_api_tokens_owner()`.execute(db);
  await sql`create trigger cache_api_tokens_truncate after truncate on api_tokens
            for each statement execute function cache_all_changed()`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
