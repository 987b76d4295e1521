import { type Kysely, sql } from 'kysely';

// Email. Mail is never sent inside a request: the change that causes a mail writes it to
// mail_outbox in the same transaction, and a worker in every server process sends it (rows are
// taken with FOR UPDATE SKIP LOCKED, so two processes never send the same one). Once sent, a
// row's bodies are cleared (they may hold sign-in links) and the row is kept a while as a record.
//
// A sign-up waits in pending_signups until its address is confirmed: no account exists before
// that, so sign-up answers the same whether or not the address already has an account.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table mail_outbox (
    id bigint generated always as identity primary key,
    to_address text not null,
    template text not null,
    subject text not null,
    text_body text,
    html_body text,
    message_id text not null,
    created_at timestamptz not null default now(),
    attempts integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_error text,
    sent_at timestamptz,
    failed_at timestamptz
  )`.execute(db);
  await sql`create index mail_outbox_due on mail_outbox (next_attempt_at, id)
    where sent_at is null and failed_at is null`.execute(db);

  await sql`create table pending_signups (
    id bigint generated always as identity primary key,
    username text not null,
    email text not null,
    password_hash text not null,
    token_hash text not null unique,
    next_path text,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null
  )`.execute(db);
  // One pending sign-up per address: a new sign-up with the address replaces the old one (and
  // its link stops working).
  await sql`create unique index pending_signups_email_lower_key on pending_signups (lower(email))`.execute(db);
  await sql`create index pending_signups_expires on pending_signups (expires_at)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
