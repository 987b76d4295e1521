import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';

// Remote images of posts are served by Fanlab (GET /api/images/:hash) so that readers' browsers
// never contact the remote host, and the CSP allows images from 'self' only. This table records
// every image URL a rendered text contains (only those are ever fetched) and caches the bytes.
//
// Texts cooked before this migration still hold <img src="https://…">; they are rewritten here
// to the proxied path and their URLs recorded. The rewrite touches only the src of the <img>
// tags the renderer produced (`<img src="https://`), so running it again changes nothing.
// (Self-contained on purpose: a migration must not change when application code does.)
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table external_images (
    url_hash text primary key,
    url text not null,
    status text not null default 'pending' check (status in ('pending', 'ok', 'failed')),
    content_type text,
    bytes bytea,
    etag text,
    error text,
    first_seen_at timestamptz not null default now(),
    last_used_at timestamptz not null default now(),
    fetched_at timestamptz
  )`.execute(db);
  await sql`create index external_images_evictable on external_images (last_used_at) where status = 'ok'`.execute(db);
  await recookImages(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}

const REMOTE_IMG = /<img src="(https:\/\/[^"]*)"/g;

const unescapeAttribute = (value: string) =>
  value
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The HTML with every remote <img src> pointing at Fanlab, and the URLs it pointed at. */
function rewrite(html: string): { html: string; urls: string[] } {
  const urls: string[] = [];
  const out = html.replace(REMOTE_IMG, (_match, src: string) => {
    const url = unescapeAttribute(src);
    urls.push(url);
    return `<img src="/api/images/${createHash('sha256').update(url).digest('base64url')}"`;
  });
  return { html: out, urls };
}

async function record(db: Kysely<unknown>, urls: string[]) {
  for (const url of new Set(urls)) {
    const hash = createHash('sha256').update(url).digest('base64url');
    await sql`insert into external_images (url_hash, url) values (${hash}, ${url})
              on conflict (url_hash) do nothing`.execute(db);
  }
}

/** Rewrites the cooked texts holding remote images: posts, official responses and their history. */
export async function recookImages(db: Kysely<unknown>): Promise<void> {
  const columns = [
    ['posts', 'cooked'],
    ['threads', 'official_response_cooked'],
    ['idea_status_changes', 'response_cooked'],
  ] as const;
  for (const [table, column] of columns) {
    let after = 0;
    for (;;) {
      const { rows } = await sql<{ id: number; html: string }>`
        select id, ${sql.ref(column)} as html from ${sql.table(table)}
         where id > ${after} and ${sql.ref(column)} like '%<img src="https://%'
         order by id limit 500`.execute(db);
      if (rows.length === 0) break;
      for (const row of rows) {
        const { html, urls } = rewrite(row.html);
        await record(db, urls);
        await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${html} where id = ${row.id}`.execute(db);
      }
      after = Number(rows[rows.length - 1]?.id);
    }
  }
}
