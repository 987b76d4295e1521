// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startTestApp, type TestApp } from '../../test/app';
import { type Member, makeCategory, makeIdea, makeThread, makeUser, vote } from '../../test/factories';
import { fannedOut as waitForFanout } from '../../test/releases';
import { TestSocket } from '../../test/socket';
import type { CategoryRow } from '../db/schema';
import { withTx } from '../db/tx';
import { deleteThread } from '../forum/actions/threads';
import { mergeIdeas } from '../ideas/actions';

let t: TestApp;
let category: CategoryRow;
let pm: Member;
let admin: Member;
let member: Member;
beforeAll(async () => {
  t = await startTestApp({ listen: true });
  category = await makeCategory(t, { allowIdeas: true });
  [pm, admin, member] = await Promise.all([
    makeUser(t, { role: 'product_manager' }),
    makeUser(t, { role: 'admin' }),
    makeUser(t),
  ]);
});
afterAll(() => t.close());

let versions = 0;
/** A version no other test uses. */
const nextVersion = () => `9.${++versions}.0`;

const newIdea = async (author: Member = member) => (await makeIdea(t, author.user, { categoryId: category.id })).id;

async function create(client: Client, body: Record<string, unknown>) {
  return client.post('/api/releases', { version: nextVersion(), channel: 'stable', date: '2026-05-08', ...body });
}

async function draft(body: Record<string, unknown> = {}) {
  const res = await create(pm.client, body);
  if (res.status !== 201) throw new Error(`create: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: number; version: string };
}

const fannedOut = () => waitForFanout(t.db);

const releasedTo = (releaseId: number) =>
  t.db
    .selectFrom('notifications')
    .select(['user_id', 'thread_id', 'data', 'actor_id'])
    .where('kind', '=', 'released')
    .where((eb) => eb(eb.ref('data', '->>').key('releaseId' as never), '=', String(releaseId)))
    .orderBy('user_id')
    .execute();

const statusOf = async (id: number) =>
  (await t.db.selectFrom('threads').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

describe('writing and publishing releases', () => {
  it('publishes a stable release: its ideas ship, named in their timelines, and voters and authors are told once', async () => {
    const author = await makeUser(t);
    const [a, b] = [await newIdea(author), await newIdea(author)];
    const voters = await Promise.all([makeUser(t), makeUser(t), makeUser(t)]);
    const [both, onlyA, onlyB] = voters as [Member, Member, Member];
    await vote(both, a);
    await vote(both, b);
    await vote(onlyA, a);
    await vote(onlyB, b);
    await vote(pm, a); // the publisher voted too: nobody is told of their own act

    const created = await pm.client.post('/api/releases', {
      version: '4.3.7',
      channel: 'stable',
      date: '2026-05-08',
      notes: 'Faster **camera** & <b>better</b> battery.',
      ideaIds: [b, a],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      version: '4.3.7',
      channel: 'stable',
      date: '2026-05-08',
      state: 'draft',
      publishedAt: null,
      canEdit: true,
      canPublish: true,
      canDelete: true,
    });
    expect(created.body.notesCooked).toContain('<strong>camera</strong>');
    expect(created.body.notesCooked).not.toContain('<b>');
    expect(created.body.ideas.map((i: any) => i.id)).toEqual([a, b].sort((x, y) => x - y));
    // a draft is nobody's business but the writers'
    expect((await member.client.get(`/api/releases/${created.body.id}`)).status).toBe(404);
    expect((await new Client(t.app).get('/api/releases')).body.items.map((r: any) => r.id)).not.toContain(
      created.body.id,
    );
    expect(await statusOf(a)).toBe('open');

    const socket = await TestSocket.open(t.baseUrl, { cookie: both.client.cookie });
    await socket.subscribe(`user:${both.user.id}`);
    const ideaSocket = await TestSocket.open(t.baseUrl);
    await ideaSocket.subscribe(`idea:${a}`);

    const started = Date.now();
    const published = await pm.client.post(`/api/releases/${created.body.id}/publish`);
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ state: 'published', publishedBy: { id: pm.user.id }, canDelete: false });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await statusOf(a)).toBe('shipped');
    expect(await statusOf(b)).toBe('shipped');

    const live = (await ideaSocket.next((m) => m.type === 'event' && m.channel === `idea:${a}`)) as any;
    expect(live.data.status).toBe('shipped');
    const told = (await socket.next((m) => m.type === 'event' && m.channel === `user:${both.user.id}`)) as any;
    expect(told.event).toBe('notification');
    expect(told.data.notification).toMatchObject({
      kind: 'released',
      data: { releaseId: created.body.id, version: '4.3.7', channel: 'stable', ideaCount: 2 },
    });
    expect(told.data.unreadCount).toBeGreaterThanOrEqual(1);
    socket.ws.close();
    ideaSocket.ws.close();

    await fannedOut();
    const notes = await releasedTo(created.body.id);
    expect(notes.map((n) => n.user_id)).toEqual(
      [author.user.id, both.user.id, onlyA.user.id, onlyB.user.id].sort((x, y) => x - y),
    );
    const byUser = new Map(notes.map((n) => [n.user_id, n]));
    expect(byUser.get(both.user.id)?.data).toMatchObject({
      ideaCount: 2,
      ideas: [a, b].sort((x, y) => x - y).map((id) => ({ id })),
    });
    expect(byUser.get(onlyB.user.id)).toMatchObject({ data: { ideaCount: 1, ideas: [{ id: b }] } });
    expect(byUser.get(author.user.id)?.data).toMatchObject({ ideaCount: 2 });
    // the first idea and the actor live in the data (no foreign-key checks for 100,000 rows)
    expect(notes.every((n) => n.thread_id === null && n.actor_id === null)).toBe(true);
    expect(notes.every((n) => (n.data as { actorId?: number }).actorId === pm.user.id)).toBe(true);

    // the notification list shows it with its idea and actor; the idea's timeline names the release
    const list = await onlyA.client.get('/api/notifications');
    expect(list.body.items[0]).toMatchObject({
      kind: 'released',
      threadId: a,
      threadTitle: (await t.db.selectFrom('threads').select('title').where('id', '=', a).executeTakeFirstOrThrow())
        .title,
      actor: { id: pm.user.id, username: pm.user.username },
      data: { version: '4.3.7' },
    });
    const onlyBs = await onlyB.client.get('/api/notifications');
    expect(onlyBs.body.items[0]).toMatchObject({ kind: 'released', threadId: b });
    const detail = await member.client.get(`/api/ideas/${a}`);
    expect(detail.body.history.at(-1)).toMatchObject({
      fromStatus: 'open',
      toStatus: 'shipped',
      release: { id: created.body.id, version: '4.3.7', channel: 'stable' },
      actor: { id: pm.user.id },
    });
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'target_id', 'data'])
      .where('actor_id', '=', pm.user.id)
      .where('action', 'in', ['release.published', 'idea.status_changed'])
      .orderBy('id')
      .execute();
    expect(audit.filter((e) => e.action === 'idea.status_changed').map((e) => e.data)).toEqual([
      { from: 'open', to: 'shipped', response: false, release: created.body.id },
      { from: 'open', to: 'shipped', response: false, release: created.body.id },
    ]);
    expect(audit.find((e) => e.action === 'release.published')).toMatchObject({
      target_id: created.body.id,
      data: { version: '4.3.7', channel: 'stable', moved: [a, b].sort((x, y) => x - y) },
    });
    // the same version may ship on the other channel, not twice on one
    expect(
      (await pm.client.post('/api/releases', { version: '4.3.7', channel: 'stable', date: '2026-05-09' })).body,
    ).toMatchObject({ error: { code: 'version_taken' } });
    expect(
      (await pm.client.post('/api/releases', { version: '4.3.7', channel: 'beta', date: '2026-05-01' })).status,
    ).toBe(201);
  });

  it('puts ideas in beta on a beta release, leaves a shipped idea shipped, and ships them on a later stable one', async () => {
    const [fresh, shipped] = [await newIdea(), await newIdea()];
    await pm.client.put(`/api/ideas/${shipped}/status`, { status: 'shipped' });
    const beta = await draft({ channel: 'beta', ideaIds: [fresh, shipped] });
    expect((await pm.client.post(`/api/releases/${beta.id}/publish`)).status).toBe(200);
    expect(await statusOf(fresh)).toBe('in_beta');
    expect(await statusOf(shipped)).toBe('shipped');
    const changes = await t.db
      .selectFrom('idea_status_changes')
      .select(['idea_id', 'to_status', 'release_id'])
      .where('release_id', '=', beta.id)
      .execute();
    expect(changes).toEqual([{ idea_id: fresh, to_status: 'in_beta', release_id: beta.id }]);
    const stable = await draft({ ideaIds: [fresh] });
    expect((await admin.client.post(`/api/releases/${stable.id}/publish`)).status).toBe(200);
    expect(await statusOf(fresh)).toBe('shipped');
    await fannedOut();
    // the author hears of each release once
    expect((await releasedTo(beta.id)).map((n) => n.user_id)).toEqual([member.user.id]);
    expect((await releasedTo(stable.id)).map((n) => n.user_id)).toEqual([member.user.id]);
  });

  it('refuses a declined or merged idea with a 409 naming it, and an unknown or deleted one with a 404', async () => {
    const declined = await newIdea();
    await pm.client.put(`/api/ideas/${declined}/status`, { status: 'declined' });
    const [merged, into] = [await newIdea(), await newIdea()];
    await withTx(t.db, (tx) => mergeIdeas(tx, admin.user, merged, into));
    const deleted = await newIdea();
    await withTx(t.db, (tx) => deleteThread(tx, admin.user, deleted));
    const before = await t.db.selectFrom('releases').select('id').execute();

    const refusedDeclined = await create(pm.client, { ideaIds: [into, declined] });
    expect(refusedDeclined.status).toBe(409);
    expect(refusedDeclined.body.error).toMatchObject({
      code: 'idea_not_releasable',
      details: { ideaId: declined, status: 'declined' },
    });
    expect(refusedDeclined.body.error.message).toContain(`#${declined}`);
    const refusedMerged = await create(pm.client, { ideaIds: [merged] });
    expect(refusedMerged.body.error).toMatchObject({ code: 'idea_not_releasable', details: { status: 'duplicate' } });
    for (const id of [deleted, 987_654_321]) {
      const refused = await create(pm.client, { ideaIds: [id] });
      expect(refused.status).toBe(404);
      expect(refused.body.error.message).toContain(`#${id}`);
    }
    const talk = await makeThread(t, member.user, { categoryId: (await makeCategory(t)).id });
    const discussion = await create(pm.client, { ideaIds: [talk.id] });
    expect(discussion.status).toBe(404);
    expect(await t.db.selectFrom('releases').select('id').execute()).toEqual(before);

    // an idea declined after it was linked stops the publication: nothing moves, nobody is told
    const [ok, later] = [await newIdea(), await newIdea()];
    const release = await draft({ ideaIds: [ok, later] });
    await pm.client.put(`/api/ideas/${later}/status`, { status: 'declined' });
    const refused = await pm.client.post(`/api/releases/${release.id}/publish`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'idea_not_releasable', details: { ideaId: later } });
    expect(await statusOf(ok)).toBe('open');
    expect((await pm.client.get(`/api/releases/${release.id}`)).body.state).toBe('draft');
    expect(
      await t.db.selectFrom('release_fanouts').select('id').where('release_id', '=', release.id).execute(),
    ).toEqual([]);
  });

  it('edits drafts freely; a published release keeps version, channel and ideas, cannot be deleted or published again', async () => {
    const [one, two, three] = [await newIdea(), await newIdea(), await newIdea()];
    const release = await draft({ ideaIds: [one, two] });
    const edited = await pm.client.patch(`/api/releases/${release.id}`, {
      version: nextVersion(),
      channel: 'beta',
      date: '2026-05-15',
      notes: 'New _notes_',
      ideaIds: [two],
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ channel: 'beta', date: '2026-05-15', notesRaw: 'New _notes_' });
    expect(edited.body.ideas.map((i: any) => i.id)).toEqual([two]);
    expect((await pm.client.post(`/api/releases/${release.id}/publish`)).status).toBe(200);
    await fannedOut();
    expect(await statusOf(one)).toBe('open');

    const voter = await makeUser(t);
    await vote(voter, three);
    await vote(voter, two);
    for (const patch of [{ version: nextVersion() }, { channel: 'stable' }, { ideaIds: [] }]) {
      const refused = await pm.client.patch(`/api/releases/${release.id}`, patch);
      expect(refused.status, JSON.stringify(patch)).toBe(409);
      expect(refused.body.error.code).toBe('release_published');
    }
    expect((await pm.client.post(`/api/releases/${release.id}/publish`)).body.error.code).toBe('release_published');
    expect((await pm.client.request('DELETE', `/api/releases/${release.id}`)).body.error.code).toBe(
      'release_published',
    );

    // linking one more idea moves it at once and tells its voters, but not those told already
    const added = await pm.client.patch(`/api/releases/${release.id}`, { ideaIds: [two, three], notes: 'More' });
    expect(added.status).toBe(200);
    expect(await statusOf(three)).toBe('in_beta');
    await fannedOut();
    const told = await releasedTo(release.id);
    expect(told.filter((n) => n.user_id === voter.user.id)).toHaveLength(1);
    expect(told.filter((n) => n.user_id === member.user.id)).toHaveLength(1);
    expect(told.find((n) => n.user_id === voter.user.id)?.data).toMatchObject({ ideas: [{ id: three }] });

    const gone = await draft();
    expect((await pm.client.request('DELETE', `/api/releases/${gone.id}`)).status).toBe(204);
    expect((await pm.client.get(`/api/releases/${gone.id}`)).status).toBe(404);
    const taken = await draft();
    const clash = await pm.client.patch(`/api/releases/${taken.id}`, { version: edited.body.version, channel: 'beta' });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('version_taken');
  });

  it('answers bad input with 400 and its reason, writing nothing', async () => {
    const before = await t.db.selectFrom('releases').select('id').execute();
    const bodies: Record<string, unknown>[] = [
      { version: '4' },
      { version: 'v4.3' },
      { version: '4.3.7 beta' },
      { version: `4.3.7-${'x'.repeat(30)}` },
      { channel: 'nightly' },
      { date: '2026-02-30' },
      { date: '2026-5-8' },
      { date: '1999-12-31' },
      { notes: 'x'.repeat(20_001) },
      { ideaIds: [1, 1] },
      { ideaIds: [0] },
      { ideaIds: 'all' },
      { extra: true },
    ];
    for (const body of bodies) {
      const res = await create(pm.client, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    const release = await draft();
    expect((await pm.client.patch(`/api/releases/${release.id}`, {})).status).toBe(400);
    expect((await pm.client.patch(`/api/releases/${release.id}`, { date: '2026-04-31' })).status).toBe(400);
    expect((await pm.client.get('/api/releases/calendar?month=2026-13')).status).toBe(400);
    expect((await pm.client.get('/api/releases/calendar')).status).toBe(400);
    expect((await pm.client.get('/api/releases?cursor=nonsense')).status).toBe(400);
    expect((await pm.client.get('/api/releases/abc')).status).toBe(400);
    expect((await pm.client.post('/api/releases/999999999/publish')).status).toBe(404);
    expect((await member.client.get('/api/releases?state=draft')).status).toBe(403);
    expect((await new Client(t.app).get('/api/releases?state=draft')).status).toBe(401);
    expect(await t.db.selectFrom('releases').select('id').where('id', '!=', release.id).execute()).toEqual(before);
  });
});

describe('reading releases', () => {
  it('pages the changelog newest day first, each release with its ideas and their votes', async () => {
    const channelCategory = await makeCategory(t, { allowIdeas: true });
    const idea = (await makeIdea(t, member.user, { categoryId: channelCategory.id })).id;
    const fan = await makeUser(t);
    await vote(fan, idea);
    const days = ['2030-01-03', '2030-01-10', '2030-01-10', '2030-01-17', '2030-01-24'];
    const ids: number[] = [];
    for (const [i, date] of days.entries()) {
      const release = await draft({ date, channel: 'beta', ideaIds: i === 4 ? [idea] : [] });
      await pm.client.post(`/api/releases/${release.id}/publish`);
      ids.push(release.id);
    }
    const seen: any[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await new Client(t.app).get(
        `/api/releases?channel=beta&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    const ours = seen.filter((r) => ids.includes(r.id));
    expect(ours.map((r) => r.id)).toEqual([ids[4], ids[3], ids[2], ids[1], ids[0]]);
    expect(ours[0].ideas).toEqual([{ id: idea, title: expect.any(String), status: 'in_beta', voteCount: 1 }]);
    expect(ours[0]).toMatchObject({ canEdit: false, canPublish: false, canDelete: false });
    expect(seen.every((r) => r.channel === 'beta' && r.state === 'published')).toBe(true);
    const drafts = await pm.client.get('/api/releases?state=draft&limit=50');
    expect(drafts.body.items.every((r: any) => r.state === 'draft')).toBe(true);
  });

  it('draws a month calendar with Fridays marked and the releases of each day', async () => {
    const friday = await draft({ date: '2031-05-02', channel: 'beta' });
    await pm.client.post(`/api/releases/${friday.id}/publish`);
    const hidden = await draft({ date: '2031-05-02' });
    const res = await new Client(t.app).get('/api/releases/calendar?month=2031-05');
    expect(res.status).toBe(200);
    expect(res.body.days).toHaveLength(31);
    expect(res.body.days.filter((d: any) => d.friday).map((d: any) => d.date)).toEqual([
      '2031-05-02',
      '2031-05-09',
      '2031-05-16',
      '2031-05-23',
      '2031-05-30',
    ]);
    expect(res.body.days[0]).toMatchObject({ date: '2031-05-01', weekday: 4, friday: false, releases: [] });
    expect(res.body.days[1].releases).toEqual([
      { id: friday.id, version: friday.version, channel: 'beta', state: 'published' },
    ]);
    const staffView = await pm.client.get('/api/releases/calendar?month=2031-05');
    expect(staffView.body.days[1].releases.map((r: any) => r.id)).toEqual([friday.id, hidden.id]);
    expect((await new Client(t.app).get('/api/releases/calendar?month=2031-02')).body.days).toHaveLength(28);
  });

  it('serves the published releases as a valid, escaped Atom 1.0 feed', async () => {
    const idea = (await makeIdea(t, member.user, { categoryId: category.id, title: 'Tabs & <windows> "now"' })).id;
    const release = await draft({
      date: '2032-01-02',
      notes: 'Fixes <script>alert(1)</script> & more',
      ideaIds: [idea],
    });
    await pm.client.post(`/api/releases/${release.id}/publish`);
    const unpublished = await draft({ date: '2032-01-03' });
    const res = await t.app.inject({ method: 'GET', url: '/api/releases.atom' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/atom+xml');
    expect(XMLValidator.validate(res.body)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(res.body);
    const feed = parsed.feed;
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed.title).toBe('Fanlab releases');
    expect(feed.id).toMatch(/^http.*\/releases$/);
    expect(Number.isNaN(Date.parse(feed.updated))).toBe(false);
    expect(feed.author.name).toBe('Fanlab');
    const links = [feed.link].flat();
    expect(links.map((l: any) => l['@rel']).sort()).toEqual(['alternate', 'self']);
    const entries = [feed.entry].flat();
    const entry = entries.find((e: any) => e.id.endsWith(`/releases/${release.id}`));
    expect(entry).toBeDefined();
    expect(entries.some((e: any) => e.id.endsWith(`/releases/${unpublished.id}`))).toBe(false);
    expect(entry.title).toBe(`${release.version} (stable)`);
    expect(Number.isNaN(Date.parse(entry.updated))).toBe(false);
    expect(entry.content['@type']).toBe('html');
    // the content is HTML as text: the notes' markup escaped once, the script never raw in the feed
    expect(entry.content['#text']).toContain('&lt;script&gt;');
    expect(entry.content['#text']).toContain('Tabs &amp; &lt;windows&gt;');
    expect(res.body).not.toContain('<script>');
    // a feed of newest first, in the changelog's order
    const changelog = (await new Client(t.app).get('/api/releases?limit=30')).body.items.map((r: any) => r.id);
    const inFeed = entries.map((e: any) => Number(String(e.id).split('/').pop()));
    expect(inFeed.length).toBeGreaterThan(1);
    expect(inFeed).toEqual(changelog.slice(0, inFeed.length));
    expect(inFeed[0]).toBe(release.id);
  });
});
