import { type Kysely, sql } from 'kysely';

// A plain-text excerpt of every post, kept by PostgreSQL itself: a stored generated column over
// `cooked`, so every write (the rules, the seeds, a backfill of every existing row right here)
// keeps it right, and lists that show a post's start (the review queue) read a few hundred
// characters instead of the whole cooked HTML.
//
// post_excerpt(html): quotes of other posts dropped; block tags become spaces, other tags go;
// the entities markdown-it writes decoded; white space collapsed. Past 300 characters it is cut
// after the last whole word that keeps at least 240 of them (else after 299 characters: one
// long word, scripts without spaces) and ends in '…'. PostgreSQL counts characters (code
// points), never bytes, so a cut never splits a UTF-8 sequence.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function post_excerpt(html text) returns text
    language sql immutable parallel safe strict
    return (
      with t(s) as (
        select btrim(regexp_replace(
          replace(replace(replace(replace(replace(
            regexp_replace(
              regexp_replace(
                regexp_replace(html, '<aside class="quote".*?</aside>', ' ', 'g'),
                '</?(p|div|li|ul|ol|h[1-6]|blockquote|pre|table|tr|td|th|br|hr)(?=[\\s/>])[^>]*>', ' ', 'g'),
              '<[^>]*>', '', 'g'),
            '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''), '&amp;', '&'),
          '\\s+', ' ', 'g'))
      )
      select case
        when char_length(s) <= 300 then s
        else coalesce(substring(left(s, 300) from '^(.{240,}\\S) '), left(s, 299)) || '…'
      end
      from t
    )`.execute(db);
  await sql`alter table posts add column excerpt text generated always as (post_excerpt(cooked)) stored`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
