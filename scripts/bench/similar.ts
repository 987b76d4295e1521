// npm run bench:similar: "similar ideas while typing … under 100 ms at 100,000 ideas" (issue 4).
//
// A throw-away embedded PostgreSQL gets 100,000 ideas with generated, overlapping titles; then the
// server's own similarIdeas() (the code behind GET /api/ideas/similar) runs for title prefixes as a
// fan would type them, one keystroke at a time. Prints p50/p95/max per query and PASS/FAIL.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { connect } from '../../server/src/db/connect';
import { startEmbeddedPostgres } from '../../server/src/db/embedded';
import { migrateToLatest } from '../../server/src/db/migrate';
import { ensureDatabase } from '../../server/src/db/open';
import { similarIdeas } from '../../server/src/ideas/queries';
import { freePort, percentile, seconds } from './lib/harness';

const IDEAS = 100_000;
const TARGET_MS = 100;

const SUBJECTS = [
  'dark mode',
  'battery life',
  'camera night mode',
  'gesture navigation',
  'always-on display',
  'fast charging',
  'dual SIM',
  'call recording',
  'app drawer',
  'lock screen widgets',
  'screen recorder',
  'notification history',
  'one-handed mode',
  'eSIM transfer',
  'photo editor',
  'file manager',
  'smart TV remote',
  'sleep tracking',
  'Bluetooth codec',
  'wallpaper engine',
];
const PLACES = [
  'in the gallery',
  'for the camera app',
  'on the lock screen',
  'in settings',
  'for the TV app',
  'in the launcher',
  'for smart home',
  'on the watch',
  'for games',
  'in the browser',
];
const VERBS = ['Add', 'Improve', 'Bring back', 'Fix', 'Allow customizing', 'Schedule', 'Speed up', 'Make optional'];

/** What a fan types, keystroke by keystroke (from 3 characters on). */
const TYPED = [
  'dark mode gal',
  'battery life on the lock',
  'camera night',
  'gestur',
  'always on disp',
  'fast charg',
  'call record',
  'bring back the app drawer',
  'notification hist',
  'one handed',
  'esim',
  'photo edit',
  'tv remote',
  'sleep track',
  'bluetooth codec',
  'wallpaper',
  'improve file manager',
  'schedule dark mode',
  'fix the launcher',
  'speed up the browser',
].flatMap((full) => Array.from({ length: full.length - 2 }, (_, i) => full.slice(0, i + 3)));

async function main() {
  const root = await mkdtemp(path.join(os.tmpdir(), 'fanlab-bench-similar-'));
  await chmod(root, 0o755);
  const cluster = await startEmbeddedPostgres({ dir: path.join(root, 'pg'), port: await freePort(), log: () => {} });
  try {
    await ensureDatabase(cluster.url('postgres'), 'similar');
    const db = connect(cluster.url('similar'), { max: 2 });
    await migrateToLatest(db);
    let t = performance.now();
    await sql`insert into users (username, email, password_hash) values ('bench', 'bench@example.com', 'x')`.execute(
      db,
    );
    await sql`insert into categories (slug, name, allow_ideas) values ('ideas', 'Ideas', true)`.execute(db);
    await sql`
      insert into threads (category_id, kind, title, author_id, last_poster_id, vote_count, created_at, bumped_at)
      select 1, 'idea',
        (${VERBS}::text[])[1 + (i * 7) % ${VERBS.length}] || ' ' ||
        (${SUBJECTS}::text[])[1 + (i * 13) % ${SUBJECTS.length}] || ' ' ||
        (${PLACES}::text[])[1 + (i * 31) % ${PLACES.length}] || ' #' || i,
        1, 1, (i * 37) % 500, now() - make_interval(mins => i), now() - make_interval(mins => i)
      from generate_series(1, ${IDEAS}) as i`.execute(db);
    await sql`analyze`.execute(db);
    console.log(`seeded ${IDEAS.toLocaleString('en')} ideas in ${seconds(performance.now() - t)}`);

    for (const q of TYPED.slice(0, 20)) await similarIdeas(db, null, q); // warm the cache and the statements
    const times: number[] = [];
    let empty = 0;
    t = performance.now();
    for (let round = 0; round < 2; round++) {
      for (const q of TYPED) {
        const started = performance.now();
        const found = await similarIdeas(db, null, q, 'ideas');
        times.push(performance.now() - started);
        if (!found.length) empty += 1;
      }
    }
    times.sort((a, b) => a - b);
    const p95 = percentile(times, 95);
    console.log(
      `${times.length} look-ups of typed prefixes (3+ characters) in ${seconds(performance.now() - t)}: ` +
        `p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${(times[times.length - 1] ?? 0).toFixed(1)} ms; ` +
        `${empty} with no suggestion`,
    );
    const sample = await similarIdeas(db, null, 'dark mode gal', 'ideas');
    console.log(`e.g. "dark mode gal" → ${sample.map((s) => `"${s.title}"`).join(', ')}`);
    console.log(
      `${p95 < TARGET_MS ? 'PASS' : 'FAIL'}  similar ideas p95 < ${TARGET_MS} ms at ${IDEAS.toLocaleString('en')} ideas`,
    );
    await db.destroy();
    if (p95 >= TARGET_MS) process.exitCode = 1;
  } finally {
    await cluster.stop();
    await rm(root, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
