// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field
import { TOP_REQUEST_COLUMNS } from '@fanlab/shared';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startTestApp, type TestApp } from '../../test/app';
import { type Member, makeCategory, makeIdea, makePost, makeUser, vote } from '../../test/factories';
import { loadConfig } from '../config';
import type { CategoryRow } from '../db/schema';
import { withTx } from '../db/tx';
import { advanceVoteWindows } from '../ideas/windows';
import { sendWeeklyDigest } from './digest';
import { sparkline } from './queries';

let t: TestApp;
const publicUrl = loadConfig({}).publicUrl.replace(/\/+$/, '');
let pm: Member;
let admin: Member;
let member: Member;
let voters: Member[];
let phones: CategoryRow;
let camera: CategoryRow;
let spain: CategoryRow;
let mexico: CategoryRow;
const ideas: Record<string, number> = {};

/** Makes one vote older (as if cast `days` ago), through the table: the triggers follow. */
const age = (ideaId: number, userId: number, days: number) =>
  sql`update idea_votes set created_at = now() - ${days} * interval '1 day'
      where idea_id = ${ideaId} and user_id = ${userId}`.execute(t.db);

beforeAll(async () => {
  t = await startTestApp({ listen: true });
  pm = await makeUser(t, { role: 'product_manager' });
  admin = await makeUser(t, { role: 'admin' });
  member = await makeUser(t);
  voters = [];
  for (let i = 0; i < 8; i += 1) voters.push(await makeUser(t));
  phones = await makeCategory(t, { allowIdeas: true, name: 'Phones' });
  camera = await makeCategory(t, { allowIdeas: true, name: 'Camera', parentId: phones.id });
  spain = await makeCategory(t, { allowIdeas: true, name: 'España', locale: 'es-ES' });
  mexico = await makeCategory(t, { allowIdeas: true, name: 'México', locale: 'es-MX' });
  const make = async (key: string, categoryId: number, title: string) => {
    ideas[key] = (await makeIdea(t, member.user, { categoryId, title })).id;
  };
  await make('battery', phones.id, 'Battery "care" mode, please');
  await make('night', camera.id, 'Night mode, with a tripod; =SUM(A1)');
  await make('raw', camera.id, 'RAW photos\nin the gallery 📷');
  await make('dark', spain.id, 'Modo oscuro en todas partes');
  await make('rtl', mexico.id, 'دعم اللغة العربية');
  await make('shipped', phones.id, '+Already shipped');
  // votes: battery 6 (all old), night 4 (recent), raw 2, dark 3, rtl 1, shipped 5
  const counts: Record<string, number> = { battery: 6, night: 4, raw: 2, dark: 3, rtl: 1, shipped: 5 };
  for (const [key, n] of Object.entries(counts)) {
    for (const voter of voters.slice(0, n)) await vote(voter, ideas[key] as number);
  }
  for (const voter of voters.slice(0, 6)) await age(ideas.battery as number, voter.user.id, 40);
  await age(ideas.dark as number, (voters[0] as Member).user.id, 10);
  const shipped = await admin.client.request('PUT', `/api/ideas/${ideas.shipped}/status`, { status: 'shipped' });
  if (shipped.status !== 200) throw new Error(`status: ${shipped.status}`);
  await sql`update threads set tags = array['battery', 'power'] where id = ${ideas.battery}`.execute(t.db);
  await sql`update threads set tags = array['camera'] where id in (${ideas.night}, ${ideas.raw})`.execute(t.db);
  for (let i = 0; i < 3; i += 1) await makePost(t, member.user, ideas.raw as number, `Reply ${i}`);
});
afterAll(() => t.close());

/** Every page of the dashboard for `query`, in order. */
async function dashboardRows(query: string, limit = 2): Promise<any[]> {
  const rows: any[] = [];
  let cursor: string | null = null;
  do {
    const res: any = await pm.client.get(
      `/api/dashboard/top?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(res.status).toBe(200);
    rows.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return rows;
}

const ids = (rows: any[]) => rows.map((r) => r.id);

describe('the dashboard of top requests', () => {
  it('is for product managers and admins, and a token needs the right scope', async () => {
    const anonymous = new Client(t.app);
    for (const path of ['/api/dashboard/top', '/api/dashboard/top/export', '/api/dashboard/charts']) {
      expect((await anonymous.get(path)).status).toBe(401);
      expect((await member.client.get(path)).status).toBe(403);
      expect((await pm.client.get(path)).status).toBe(200);
      expect((await admin.client.get(path)).status).toBe(200);
    }
    const moderator = await makeUser(t, { role: 'moderator' });
    expect((await moderator.client.get('/api/dashboard/top')).status).toBe(403);

    const tokenOf = async (scopes: string[]) =>
      (await pm.client.post('/api/me/tokens', { name: 'dashboard', scopes, expiresInDays: 1 })).body.secret;
    const bearer = (secret: string, path: string) =>
      new Client(t.app).request('GET', path, undefined, { authorization: `Bearer ${secret}` });
    const exports = await tokenOf(['read:exports']);
    const reads = await tokenOf(['read:ideas']);
    expect((await bearer(exports, '/api/dashboard/top/export?format=jsonl')).status).toBe(200);
    expect((await bearer(reads, '/api/dashboard/top/export')).body.error.code).toBe('token_scope');
    expect((await bearer(reads, '/api/dashboard/top')).status).toBe(200);
    expect((await bearer(exports, '/api/dashboard/top')).body.error.code).toBe('token_scope');
  });

  it('refuses bad filters with a clear 400 (or 404 for a category that does not exist)', async () => {
    for (const query of [
      'status=opened',
      'status=open,,planned',
      'window=5d',
      'sort=loudest',
      'space=spanish',
      'region=mx',
      'tag=Not%20A%20Tag',
      'limit=0',
      'limit=101',
      'cursor=garbage',
    ]) {
      const res: any = await pm.client.get(`/api/dashboard/top?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code, query).toBeTypeOf('string');
    }
    expect((await pm.client.get('/api/dashboard/top?category=no-such-category')).status).toBe(404);
    expect((await pm.client.get('/api/dashboard/top/export?format=xml')).status).toBe(400);
  });

  it('shows open work by default, ranked by votes; filters by category with its sub-categories, status, space, region and tag', async () => {
    const all = await dashboardRows('');
    expect(ids(all)).toEqual([ideas.battery, ideas.night, ideas.dark, ideas.raw, ideas.rtl]);
    expect(all.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(all[0]).toMatchObject({
      title: 'Battery "care" mode, please',
      path: `/t/${ideas.battery}`,
      categoryPath: 'Phones',
      status: 'open',
      votes: 6,
      uniqueVoters: 6,
      windowVotes: 0,
      tags: ['battery', 'power'],
      author: { username: member.user.username },
    });
    expect(all.find((r) => r.id === ideas.night)).toMatchObject({ categoryPath: 'Phones / Camera', windowVotes: 4 });
    expect(all.find((r) => r.id === ideas.raw)).toMatchObject({ replies: 3 });

    expect(ids(await dashboardRows(`category=${phones.slug}`))).toEqual([ideas.battery, ideas.night, ideas.raw]);
    expect(ids(await dashboardRows(`category=${camera.slug}`))).toEqual([ideas.night, ideas.raw]);
    expect(ids(await dashboardRows('status=shipped'))).toEqual([ideas.shipped]);
    expect(ids(await dashboardRows(`status=open,shipped&category=${phones.slug}`))).toEqual([
      ideas.battery,
      ideas.shipped,
      ideas.night,
      ideas.raw,
    ]);
    expect(ids(await dashboardRows('space=es'))).toEqual([ideas.dark, ideas.rtl]);
    expect(ids(await dashboardRows('space=es-MX'))).toEqual([ideas.rtl]);
    expect(ids(await dashboardRows('region=ES'))).toEqual([ideas.dark]);
    // a space or region with a category: the ideas in both (none when they do not meet)
    expect(ids(await dashboardRows(`space=es&category=${mexico.slug}`))).toEqual([ideas.rtl]);
    expect(ids(await dashboardRows(`region=MX&category=${spain.slug}`))).toEqual([]);
    expect(ids(await dashboardRows(`space=es&category=${phones.slug}`))).toEqual([]);
    expect(ids(await dashboardRows('space=de'))).toEqual([]);
    expect(ids(await dashboardRows('tag=camera'))).toEqual([ideas.night, ideas.raw]);
    expect(ids(await dashboardRows('tag=camera&region=MX'))).toEqual([]);
  });

  it('follows the category tree as it changes: a new sub-category, a category moved into a space', async () => {
    const tablets = await makeCategory(t, { slug: 'dash-tablets', name: 'Tablets', allowIdeas: true });
    const first = await makeIdea(t, member.user, { categoryId: tablets.id, title: 'Tablet stylus pressure' });
    expect(ids(await dashboardRows(`category=${tablets.slug}`))).toEqual([first.id]); // the tree is kept now
    const pens = await makeCategory(t, { slug: 'dash-pens', name: 'Pens', allowIdeas: true, parentId: tablets.id });
    const second = await makeIdea(t, member.user, { categoryId: pens.id, title: 'Pen with an eraser end' });
    expect(new Set(ids(await dashboardRows(`category=${tablets.slug}`)))).toEqual(new Set([first.id, second.id]));
    expect(ids(await dashboardRows('region=BR'))).toEqual([]);
    await t.db.updateTable('categories').set({ locale: 'pt-BR' }).where('id', '=', pens.id).execute();
    expect(ids(await dashboardRows('region=BR'))).toEqual([second.id]);
    expect(ids(await dashboardRows(`space=pt&category=${tablets.slug}`))).toEqual([second.id]);
    // out of the other tests' rankings
    await t.db
      .updateTable('threads')
      .set({ deleted_at: new Date() })
      .where('id', 'in', [first.id, second.id])
      .execute();
  });

  it('ranks by votes in the window, trending, discussion and newest', async () => {
    // battery's six votes are 40 days old: out of 7 and 30 days, in 90; one of dark's is 10 days old
    const window30 = await dashboardRows('sort=window&window=30d');
    expect(ids(window30)).toEqual([ideas.night, ideas.dark, ideas.raw, ideas.rtl, ideas.battery]);
    expect(window30.map((r) => r.windowVotes)).toEqual([4, 3, 2, 1, 0]);
    const window7 = await dashboardRows('sort=window&window=7d');
    expect(window7.find((r) => r.id === ideas.dark).windowVotes).toBe(2); // one of its three is 10 days old
    const window90 = await dashboardRows('sort=window&window=90d');
    expect(ids(window90)).toEqual([ideas.battery, ideas.night, ideas.dark, ideas.raw, ideas.rtl]);
    expect(ids(await dashboardRows('sort=window&window=all'))).toEqual(ids(await dashboardRows('sort=votes')));
    expect(ids(await dashboardRows('sort=discussed'))[0]).toBe(ideas.raw);
    expect(ids(await dashboardRows('sort=newest'))).toEqual([
      ideas.rtl,
      ideas.dark,
      ideas.raw,
      ideas.night,
      ideas.battery,
    ]);
    const trending = await dashboardRows('sort=trending');
    expect(trending.map((r) => r.trendingScore)).toEqual(
      [...trending.map((r) => r.trendingScore)].sort((a, b) => b - a),
    );
  });

  it('draws votes per day over the window, oldest day first', async () => {
    const res: any = await pm.client.get('/api/dashboard/top?window=90d&limit=100');
    const battery = res.body.items.find((r: any) => r.id === ideas.battery);
    expect(battery.sparkline).toHaveLength(90);
    expect(battery.sparkline.reduce((a: number, b: number) => a + b, 0)).toBe(6);
    expect(battery.sparkline[90 - 41]).toBe(6); // 40 days before today
    const night = res.body.items.find((r: any) => r.id === ideas.night);
    expect(night.sparkline.at(-1)).toBe(4);
    expect(res.body.sparklineFrom).toBe(new Date(Date.now() - 89 * 86_400_000).toISOString().slice(0, 10));
    expect(Date.parse(res.body.windowStartsAt)).toBeLessThan(Date.now() - 89 * 86_400_000);
  });

  it('exports exactly the dashboard’s rows for the same filters, as CSV, JSON Lines and JSON', async () => {
    for (const query of [
      '',
      'sort=window&window=30d',
      'sort=window&window=7d&status=open,shipped',
      `category=${phones.slug}&sort=discussed`,
      'space=es&sort=newest',
      'tag=camera&window=90d&sort=trending',
      'status=open,under_review,planned,in_progress,in_beta,shipped,declined,duplicate&window=all',
    ]) {
      const shown = await dashboardRows(query, 3);
      const csv: any = await pm.client.get(`/api/dashboard/top/export?${query}&format=csv&bom=true`);
      expect(csv.status).toBe(200);
      expect(csv.body.startsWith('\uFEFF')).toBe(true);
      const records: string[][] = parse(csv.body.slice(1), { relax_column_count: false });
      expect(records[0]).toEqual([...TOP_REQUEST_COLUMNS]);
      const jsonl: any = await pm.client.get(`/api/dashboard/top/export?${query}&format=jsonl`);
      const lines = (jsonl.body as string)
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
      const json: any = await pm.client.get(`/api/dashboard/top/export?${query}&format=json`);
      const array = typeof json.body === 'string' ? JSON.parse(json.body) : json.body;
      expect(lines).toEqual(array);
      expect(records).toHaveLength(shown.length + 1);
      expect(lines).toHaveLength(shown.length);
      shown.forEach((row, i) => {
        const line = lines[i];
        const expected = {
          rank: row.rank,
          id: row.id,
          title: row.title,
          url: `${publicUrl}/t/${row.id}`,
          category_path: row.categoryPath,
          status: row.status,
          votes_total: row.votes,
          votes_in_window: row.windowVotes,
          unique_voters: row.uniqueVoters,
          replies: row.replies,
          trending_score: row.trendingScore,
          author: row.author.username,
          created_at: row.createdAt,
          last_status_change_at: row.statusChangedAt,
          official_response: row.officialResponse,
          merged_duplicates: row.mergedDuplicates,
          tags: row.tags.join(' '),
        };
        expect(line, query).toEqual(expected);
        // the CSV row: the same values as text, formula-like cells neutralised with an apostrophe
        const cells = TOP_REQUEST_COLUMNS.map((c) => {
          const value = (expected as any)[c];
          const text = value === null ? '' : String(value);
          return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
        });
        expect(records[i + 1], query).toEqual(cells);
      });
    }
  });

  it('keeps titles full of quotes, commas, newlines, emoji, right-to-left text and formula prefixes intact in CSV', async () => {
    const csv: any = await pm.client.get('/api/dashboard/top/export?status=open,shipped&format=csv');
    const records: string[][] = parse(csv.body);
    const titles = new Map(records.slice(1).map((r) => [Number(r[1]), r[2]]));
    expect(titles.get(ideas.battery as number)).toBe('Battery "care" mode, please');
    expect(titles.get(ideas.night as number)).toBe('Night mode, with a tripod; =SUM(A1)');
    expect(titles.get(ideas.raw as number)).toBe('RAW photos\nin the gallery 📷');
    expect(titles.get(ideas.rtl as number)).toBe('دعم اللغة العربية');
    expect(titles.get(ideas.shipped as number)).toBe("'+Already shipped");
  });

  it('exports only the first rows when asked, and counts merged duplicates', async () => {
    const lines = ((await pm.client.get('/api/dashboard/top/export?format=jsonl&limit=2')).body as string)
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual([ideas.battery, ideas.night]);
    const dupe = (await makeIdea(t, member.user, { categoryId: phones.id, title: 'Battery care again' })).id;
    expect((await admin.client.post(`/api/ideas/${dupe}/merge`, { intoId: ideas.battery })).status).toBe(200);
    const [first]: any[] = await dashboardRows('', 1);
    expect(first).toMatchObject({ id: ideas.battery, mergedDuplicates: 1 });
  });

  it('charts votes, new ideas, active voters and status changes per week', async () => {
    const res: any = await pm.client.get('/api/dashboard/charts?window=90d');
    expect(res.status).toBe(200);
    const weeks = res.body.weeks as any[];
    expect(weeks).toHaveLength(13);
    expect(new Date(`${weeks.at(-1).week}T00:00:00Z`).getUTCDay()).toBe(1);
    const total = (key: string) => weeks.reduce((sum, w) => sum + w[key], 0);
    const standing = Number(
      (await sql<{ n: number }>`select count(*)::int as n from idea_votes`.execute(t.db)).rows[0]?.n,
    );
    expect(total('votes')).toBe(standing);
    expect(total('newIdeas')).toBeGreaterThanOrEqual(6);
    expect(weeks.at(-1).activeVoters).toBeGreaterThanOrEqual(1);
    expect(total('statusChanges')).toBeGreaterThanOrEqual(1);
    expect((await pm.client.get('/api/dashboard/charts?window=7d')).body.weeks).toHaveLength(12);
  });
});

describe('votes in a window and per day', () => {
  it('draw a sparkline from months that start before it and end after it', () => {
    // the first month began 3 days before the sparkline; the second 2 days after its first day
    expect(sparkline('-3:1,2,3,4,5;2:9,8,7', 4)).toEqual([4, 5, 9, 8]);
    expect(sparkline(null, 3)).toEqual([0, 0, 0]);
    expect(sparkline('5:1', 3)).toEqual([0, 0, 0]);
    expect(sparkline('0:;1:12,305', 3)).toEqual([0, 12, 305]); // a month with no days yet
  });

  it('read months the same as splitting them would, for any months', () => {
    const bySplitting = (months: string, length: number) => {
      const line = new Array<number>(length).fill(0);
      for (const month of months.split(';')) {
        const [offset, votes] = month.split(':') as [string, string];
        votes.split(',').forEach((v, d) => {
          const day = Number(offset) + d;
          if (day >= 0 && day < length) line[day] = Number(v);
        });
      }
      return line;
    };
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed % n;
    };
    for (let run = 0; run < 500; run++) {
      const length = 1 + random(400);
      let offset = -random(31);
      const months: string[] = [];
      while (offset < length + 5) {
        const days = 28 + random(4);
        months.push(`${offset}:${Array.from({ length: days }, () => (random(3) ? 0 : random(100_000))).join(',')}`);
        offset += days;
      }
      const text = months.join(';');
      expect(sparkline(text, length), text).toEqual(bySplitting(text, length));
    }
  });

  /** What the counters must be, from the vote rows themselves. */
  async function groundTruth() {
    const recent = await sql<{ idea_id: number; d7: number; d30: number; d90: number; d365: number }>`
      select r.idea_id, r.d7, r.d30, r.d90, r.d365,
             (select count(*)::int from idea_votes v, vote_windows w where v.idea_id = r.idea_id and w.days = 7 and v.created_at >= w.starts_at) as t7,
             (select count(*)::int from idea_votes v, vote_windows w where v.idea_id = r.idea_id and w.days = 30 and v.created_at >= w.starts_at) as t30,
             (select count(*)::int from idea_votes v, vote_windows w where v.idea_id = r.idea_id and w.days = 90 and v.created_at >= w.starts_at) as t90,
             (select count(*)::int from idea_votes v, vote_windows w where v.idea_id = r.idea_id and w.days = 365 and v.created_at >= w.starts_at) as t365
      from idea_recent_votes r`.execute(t.db);
    // the months' arrays (migrations 0027, 0031) hold exactly the votes cast per UTC day, each
    // array its month long
    const months = await sql<{ off: number }>`
      with month_days as (
        select idea_id, (month + (i - 1)::int) as day, v as votes, cardinality(days) as length,
               extract(day from (month + interval '1 month' - interval '1 day'))::int as month_length
        from idea_vote_months, unnest(days) with ordinality as u(v, i)
      ), cast_days as (
        select idea_id, (created_at at time zone 'UTC')::date as day, count(*)::int as votes from idea_votes group by 1, 2
      )
      select (select count(*)::int from month_days where length <> month_length) +
             (select count(*)::int from (
                select idea_id, day, votes from month_days where votes <> 0
                except select idea_id, day, votes from cast_days) a) +
             (select count(*)::int from (
                select idea_id, day, votes from cast_days
                except select idea_id, day, votes from month_days where votes <> 0) b) as off`.execute(t.db);
    const wrong = recent.rows.filter(
      (r: any) => r.d7 !== r.t7 || r.d30 !== r.t30 || r.d90 !== r.t90 || r.d365 !== r.t365,
    );
    return { wrong, months: months.rows[0]?.off };
  }

  it('stay exact through a storm of votes, withdrawals, merges and the windows moving at once', async () => {
    const category = await makeCategory(t, { allowIdeas: true });
    const storm: number[] = [];
    for (let i = 0; i < 6; i += 1) storm.push((await makeIdea(t, member.user, { categoryId: category.id })).id);
    const crowd: Member[] = [];
    for (let i = 0; i < 40; i += 1) crowd.push(await makeUser(t));
    // some votes already old, so that moving the windows has something to subtract
    for (const [i, voter] of crowd.slice(0, 20).entries()) {
      await vote(voter, storm[i % 6] as number);
      await age(storm[i % 6] as number, voter.user.id, [6.9999, 29.9999, 89.9999, 364.9999][i % 4] as number);
    }
    const requests: Promise<unknown>[] = [];
    for (let round = 0; round < 5; round += 1) {
      for (const [i, voter] of crowd.entries()) {
        const idea = storm[(i + round) % 6] as number;
        requests.push(voter.client.request(round % 2 ? 'DELETE' : 'PUT', `/api/ideas/${idea}/vote`));
      }
      requests.push(withTx(t.db, advanceVoteWindows));
    }
    requests.push(admin.client.post(`/api/ideas/${storm[5]}/merge`, { intoId: storm[4] }));
    const results = await Promise.allSettled(requests);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(requests.length).toBeGreaterThanOrEqual(200);
    await new Promise((r) => setTimeout(r, 100)); // old votes slide out of the smallest window
    await withTx(t.db, advanceVoteWindows);
    expect(await groundTruth()).toEqual({ wrong: [], months: 0 });
  });

  it('subtracts a vote when its time leaves a window, once', async () => {
    const category = await makeCategory(t, { allowIdeas: true });
    const idea = (await makeIdea(t, member.user, { categoryId: category.id })).id;
    const voter = await makeUser(t);
    await vote(voter, idea);
    const counts = () =>
      t.db
        .selectFrom('idea_recent_votes')
        .select(['d7', 'd30', 'd90', 'd365'])
        .where('idea_id', '=', idea)
        .executeTakeFirstOrThrow();
    expect(await counts()).toEqual({ d7: 1, d30: 1, d90: 1, d365: 1 });
    // the window of 7 days started a moment ago minus 7 days; a vote cast just after it...
    await sql`update idea_votes set created_at = (select starts_at from vote_windows where days = 7) + interval '50 milliseconds'
              where idea_id = ${idea}`.execute(t.db);
    expect(await counts()).toEqual({ d7: 1, d30: 1, d90: 1, d365: 1 });
    await new Promise((r) => setTimeout(r, 120));
    expect(await withTx(t.db, advanceVoteWindows)).toBeGreaterThanOrEqual(1);
    expect(await counts()).toEqual({ d7: 0, d30: 1, d90: 1, d365: 1 });
    await withTx(t.db, advanceVoteWindows);
    expect(await counts()).toEqual({ d7: 0, d30: 1, d90: 1, d365: 1 });
    await vote(voter, idea, false);
    expect(await counts()).toEqual({ d7: 0, d30: 0, d90: 0, d365: 0 });
  });
});

describe('the weekly digest', () => {
  it('tells every product manager and admin the week’s top requests, once a week whatever calls it', async () => {
    const staff = await t.db
      .selectFrom('users')
      .select('id')
      .where('role', 'in', ['product_manager', 'admin'])
      .execute();
    const monday = new Date('2031-03-03T09:00:00Z');
    expect(await withTx(t.db, (tx) => sendWeeklyDigest(tx, monday))).toBe(staff.length);
    const [again, sameWeek] = await Promise.all([
      withTx(t.db, (tx) => sendWeeklyDigest(tx, new Date('2031-03-09T23:00:00Z'))),
      withTx(t.db, (tx) => sendWeeklyDigest(tx, new Date('2031-03-05T12:00:00Z'))),
    ]);
    expect([again, sameWeek]).toEqual([null, null]);

    const list: any = await pm.client.get('/api/notifications');
    const digest = list.body.items.find((n: any) => n.kind === 'digest');
    expect(digest.data.week).toBe('2031-03-03');
    const top = await dashboardRows('sort=window&window=7d', 5);
    expect(digest.data.ideas.map((i: any) => i.id)).toEqual(ids(top.slice(0, 5)));
    expect(digest.data.ideas[0]).toMatchObject({ title: top[0].title, windowVotes: top[0].windowVotes });
    const memberList: any = await member.client.get('/api/notifications');
    expect(memberList.body.items.some((n: any) => n.kind === 'digest')).toBe(false);

    // two processes looking at the same moment of a new week: one sends it
    const racing = await Promise.all(
      [0, 1, 2].map(() => withTx(t.db, (tx) => sendWeeklyDigest(tx, new Date('2031-03-10T00:00:00Z')))),
    );
    expect(racing.filter((n) => n !== null)).toEqual([staff.length]);
  });
});
