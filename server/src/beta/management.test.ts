import type { CreateBetaProgramBody } from '@fanlab/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/app';
import { type Member, makeCategory, makePost, makeThread, makeUser } from '../../test/factories';
import { TestSocket } from '../../test/socket';
import { withTx } from '../db/tx';
import { csvCell } from './csv';
import { EXPORT_CHUNK } from './queries';

let t: TestApp;
let pm: Member;
let moderator: Member;
let categoryId: number;
let feedbackId: number;
let n = 0;

beforeAll(async () => {
  t = await startTestApp({ listen: true });
  pm = await makeUser(t, { role: 'product_manager' });
  moderator = await makeUser(t, { role: 'moderator' });
  categoryId = (await makeCategory(t)).id;
  feedbackId = (await makeCategory(t)).id;
});
afterAll(() => t.close());

async function openProgram(input: Partial<CreateBetaProgramBody> = {}) {
  n += 1;
  const made = await pm.client.post('/api/beta/programs', {
    name: `Watch beta ${n}`,
    slug: `watch-beta-${n}`,
    categoryId,
    description: 'Watch faces.',
    terms: 'Terms.',
    seats: 2,
    devices: [
      { model: 'Fan Watch', quota: null },
      { model: 'Fan Band', quota: null },
    ],
    regions: ['ES', 'MX'],
    minAccountAgeDays: 0,
    minTrustLevel: 0,
    quiz: { questions: [{ prompt: 'Two plus two?', choices: ['3', '4', '5'], correct: 1 }], passMark: 1 },
    mode: 'first_come',
    opensAt: null,
    closesAt: null,
    feedbackCategoryId: feedbackId,
    ...input,
  } satisfies CreateBetaProgramBody);
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  await pm.client.patch(`/api/beta/programs/${made.body.id}`, { state: 'open' });
  return made.body.id as number;
}

const apply = (m: Member, programId: number, body: Record<string, unknown> = {}) =>
  m.client.post(`/api/beta/programs/${programId}/applications`, {
    deviceModel: 'Fan Watch',
    region: 'ES',
    consent: true,
    quizAnswers: [1],
    ...body,
  });

const decide = (applicationId: number, action: string, reason = 'Because.') =>
  pm.client.post(`/api/beta/applications/${applicationId}/decision`, { action, reason });

describe('reviewed mode', () => {
  it('puts each application in the review queue, where moderators accept, waitlist or reject it, never past the seats', async () => {
    const programId = await openProgram({ mode: 'reviewed', seats: 1 });
    const [a, b, c] = [await makeUser(t), await makeUser(t), await makeUser(t)];
    const pending = await apply(a, programId);
    expect(pending.status).toBe(201);
    expect(pending.body).toMatchObject({ outcome: 'pending', application: { status: 'pending', testerNumber: null } });
    await apply(b, programId, { deviceModel: 'Fan Band', region: 'MX' });
    await apply(c, programId);

    const queue = await moderator.client.get(`/api/review?type=beta_application&program=${programId}`);
    expect(queue.status).toBe(200);
    expect(queue.body.items).toHaveLength(3);
    const first = queue.body.items.find((i: { post: { author: { id: number } } }) => i.post.author.id === a.user.id);
    expect(first).toMatchObject({
      type: 'beta_application',
      topReason: 'beta_application',
      post: { id: null, excerpt: 'Fan Watch · ES' },
      thread: { id: null, title: `Watch beta ${n}`, category: { id: categoryId } },
      application: {
        program: { id: programId },
        deviceModel: 'Fan Watch',
        region: 'ES',
        quizScore: 1,
        passMark: 1,
        seatsLeft: 1,
      },
    });
    const detail = await moderator.client.get(`/api/review/${first.id}`);
    expect(detail.body.application.id).toBe(pending.body.application.id);

    const wrong = await moderator.client.post(`/api/review/${first.id}/actions`, {
      action: 'agree',
      version: first.version,
    });
    expect(wrong.status).toBe(400);
    const accepted = await moderator.client.post(`/api/review/${first.id}/actions`, {
      action: 'accept',
      version: first.version,
      reason: 'Welcome!',
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body.status).toBe('accepted');
    const mine = (await a.client.get(`/api/beta/programs/${programId}`)).body.myApplication;
    expect(mine).toMatchObject({ status: 'accepted', testerNumber: 1, reason: 'Welcome!' });
    expect((await a.client.get('/api/notifications')).body.items[0]).toMatchObject({
      kind: 'beta_accepted',
      data: { programId, testerNumber: 1 },
    });

    // the one seat is taken: accepting another is refused; waitlisting works
    const rest = (await moderator.client.get(`/api/review?type=beta_application&program=${programId}`)).body.items;
    expect(rest).toHaveLength(2);
    expect(rest[0].application.seatsLeft).toBe(0);
    const full = await moderator.client.post(`/api/review/${rest[0].id}/actions`, {
      action: 'accept',
      version: rest[0].version,
    });
    expect(full.status).toBe(409);
    expect(full.body.error.code).toBe('beta_no_seats');
    expect(
      (
        await moderator.client.post(`/api/review/${rest[0].id}/actions`, {
          action: 'waitlist',
          version: rest[0].version,
        })
      ).body.status,
    ).toBe('waitlisted');
    expect(
      (await moderator.client.post(`/api/review/${rest[1].id}/actions`, { action: 'reject', version: rest[1].version }))
        .body.status,
    ).toBe('rejected');

    // the tester leaves: the waitlisted applicant gets the seat
    await a.client.request('DELETE', `/api/beta/programs/${programId}/application`);
    const waiting = rest[0].post.author.id === b.user.id ? b : c;
    expect((await waiting.client.get(`/api/beta/programs/${programId}`)).body.myApplication).toMatchObject({
      status: 'accepted',
      testerNumber: 2,
    });
  });

  it('a decision from the applications table decides the review item too; a withdrawn one leaves the queue', async () => {
    const programId = await openProgram({ mode: 'reviewed' });
    const [a, b] = [await makeUser(t), await makeUser(t)];
    const applied = await apply(a, programId);
    await apply(b, programId);
    expect((await decide(applied.body.application.id, 'reject', 'No band support yet')).status).toBe(200);
    await b.client.request('DELETE', `/api/beta/programs/${programId}/application`);
    const pendingItems = await moderator.client.get(`/api/review?type=beta_application&program=${programId}`);
    expect(pendingItems.body.items).toEqual([]);
    const decided = await moderator.client.get(
      `/api/review?type=beta_application&program=${programId}&status=rejected`,
    );
    expect(decided.body.items).toHaveLength(2);
  });
});

describe('decisions from the applications table', () => {
  it('follow the rules with reasons, notify the applicant, are audited, and remove gives the seat to the line', async () => {
    const programId = await openProgram({ seats: 1 });
    const [a, b, c] = [await makeUser(t), await makeUser(t), await makeUser(t)];
    const tester = (await apply(a, programId)).body.application;
    const second = (await apply(b, programId)).body.application;
    const third = (await apply(c, programId)).body.application;
    expect(second.status).toBe('waitlisted');

    expect(
      (await a.client.post(`/api/beta/applications/${tester.id}/decision`, { action: 'remove', reason: 'x' })).status,
    ).toBe(403);
    const noReason = await pm.client.post(`/api/beta/applications/${tester.id}/decision`, { action: 'remove' });
    expect(noReason.status).toBe(400);
    const wrong = await decide(tester.id, 'reject');
    expect(wrong.status).toBe(409);
    expect(wrong.body.error.code).toBe('beta_invalid_transition');
    expect((await decide(second.id, 'accept')).body.error.code).toBe('beta_no_seats');
    expect((await decide(999_999, 'accept')).status).toBe(404);

    const removed = await decide(tester.id, 'remove', 'Never reported anything');
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({
      status: 'removed',
      testerNumber: 1,
      reason: 'Never reported anything',
      decidedBy: { id: pm.user.id },
    });
    expect((await a.client.get('/api/notifications')).body.items[0]).toMatchObject({
      kind: 'beta_decided',
      data: { programId, status: 'removed', reason: 'Never reported anything' },
    });
    // the seat went to the first in line, in the same transaction
    expect((await b.client.get(`/api/beta/programs/${programId}`)).body.myApplication).toMatchObject({
      status: 'accepted',
      testerNumber: 2,
    });
    expect((await c.client.get(`/api/beta/programs/${programId}`)).body.myApplication.waitlistPosition).toBe(1);
    expect((await decide(third.id, 'reject', 'Region full')).body.status).toBe('rejected');
    expect((await decide(third.id, 'waitlist', 'Second look')).body).toMatchObject({
      status: 'waitlisted',
      waitlistPosition: 1,
    });

    const log = await t.db
      .selectFrom('audit_log')
      .select(['action', 'target_id', 'data'])
      .where('action', '=', 'beta.application_decided')
      .where('target_id', '=', programId)
      .orderBy('id')
      .execute();
    expect(log.map((l) => l.data)).toEqual([
      {
        application: tester.id,
        user: a.user.id,
        action: 'remove',
        from: 'accepted',
        to: 'removed',
        reason: 'Never reported anything',
        promoted: [second.id],
      },
      expect.objectContaining({ action: 'reject', from: 'waitlisted', to: 'rejected' }),
      expect.objectContaining({ action: 'waitlist', from: 'rejected', to: 'waitlisted' }),
    ]);
    const admin = await makeUser(t, { role: 'admin' });
    const entries = await admin.client.get(`/api/admin/audit-log?targetType=beta_program&targetId=${programId}`);
    expect(entries.body.items[0]).toMatchObject({
      targetLabel: `Watch beta ${n}`,
      targetPath: `/beta/watch-beta-${n}`,
    });
  });
});

describe('the applications table', () => {
  it('filters by status, device, region, quiz score and applied date, pages by keyset, and shows tester activity', async () => {
    const programId = await openProgram({
      seats: 3,
      quiz: {
        questions: [
          { prompt: 'One?', choices: ['a', 'b'], correct: 0 },
          { prompt: 'Two?', choices: ['a', 'b'], correct: 0 },
          { prompt: 'Three?', choices: ['a', 'b'], correct: 0 },
        ],
        passMark: 1,
      },
    });
    const people: Member[] = [];
    for (const [i, answers] of [
      [0, [0, 0, 0]],
      [1, [0, 0, 1]],
      [2, [0, 1, 1]],
      [3, [0, 0, 0]],
      [4, [1, 0, 1]],
    ] as const) {
      const m = await makeUser(t);
      people.push(m);
      const res = await apply(m, programId, {
        deviceModel: i % 2 ? 'Fan Band' : 'Fan Watch',
        region: i < 3 ? 'ES' : 'MX',
        quizAnswers: answers,
      });
      expect(res.status).toBe(201);
    }
    // the first tester posts feedback twice (a thread and a reply); a thread elsewhere does not count
    const tester = people[0] as Member;
    const { id: threadId } = await makeThread(t, tester.user, { categoryId: feedbackId });
    await makePost(t, tester.user, threadId, 'The watch face flickers.');
    await makeThread(t, tester.user, { categoryId });

    const list = (query: string) => pm.client.get(`/api/beta/programs/${programId}/applications?${query}`);
    const all = await list('');
    expect(all.status).toBe(200);
    expect(all.body.items.map((a: { user: { id: number } }) => a.user.id)).toEqual(people.map((p) => p.user.id));
    expect(all.body.items[0]).toMatchObject({ testerNumber: 1, feedbackCount: 2, quizScore: 3 });
    expect(all.body.items[0].lastSeenAt).not.toBeNull();
    expect(all.body.items[3]).toMatchObject({ status: 'waitlisted', waitlistPosition: 1, feedbackCount: 0 });

    const ids = async (query: string) =>
      (await list(query)).body.items.map((a: { user: { id: number } }) =>
        people.findIndex((p) => p.user.id === a.user.id),
      );
    expect(await ids('status=waitlisted')).toEqual([3, 4]);
    expect(await ids('device=Fan%20Band')).toEqual([1, 3]);
    expect(await ids('region=MX')).toEqual([3, 4]);
    expect(await ids('minScore=3')).toEqual([0, 3]);
    expect(await ids('maxScore=1')).toEqual([2, 4]);
    expect(await ids('minScore=2&maxScore=2')).toEqual([1]);
    expect(await ids(`appliedFrom=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).toEqual([]);
    expect(await ids(`appliedTo=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).toHaveLength(5);
    expect((await list('minScore=2&maxScore=1')).status).toBe(400);
    expect((await list('status=lost')).status).toBe(400);
    expect((await list('appliedFrom=yesterday')).status).toBe(400);
    expect((await list('cursor=nonsense')).body.error.code).toBe('invalid_cursor');

    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: number }[]; nextCursor: string | null } } = await list(
        `limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.body.items.map((a) => a.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.body.items.map((a: { id: number }) => a.id));

    expect((await tester.client.get(`/api/beta/programs/${programId}/applications`)).status).toBe(403);
    expect((await pm.client.get('/api/beta/programs/999999/applications')).status).toBe(404);
  });
});

describe('the testers export', () => {
  it('writes formula-safe cells', () => {
    expect(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', 'plain', 'say "hi"'].map(csvCell)).toEqual([
      `"'=1+1"`,
      `"'+1"`,
      `"'-1"`,
      `"'@SUM(A1)"`,
      `"'\tx"`,
      `"'\rx"`,
      '"plain"',
      '"say ""hi"""',
    ]);
    expect([csvCell(7), csvCell(null)]).toEqual(['7', '']);
  });

  it('streams every tester by number in keyset chunks, with the columns asked for', async () => {
    const programId = await openProgram({ seats: EXPORT_CHUNK + 5, regions: [] });
    const count = EXPORT_CHUNK + 3;
    const evil = await makeUser(t);
    expect((await apply(evil, programId, { region: '=HYPERLINK("http://x")' })).status).toBe(201);
    // members through the real rule, without a sign-in each (the export is what is tested)
    const { applyToProgram } = await import('./actions');
    const { makeAccount } = await import('../../test/factories');
    for (let i = 1; i < count; i += 25) {
      await Promise.all(
        Array.from({ length: Math.min(25, count - i) }, async () => {
          const user = await makeAccount(t);
          await withTx(t.db, (tx) =>
            applyToProgram(tx, user, programId, {
              deviceModel: 'Fan Band',
              region: 'ES',
              consent: true,
              quizAnswers: [1],
            }),
          );
        }),
      );
    }
    const res = await fetch(`${t.baseUrl}/api/beta/programs/${programId}/testers.csv`, {
      headers: { cookie: pm.client.cookie as string },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    expect(res.headers.get('content-disposition')).toContain(`watch-beta-${n}-testers.csv`);
    const lines = (await res.text()).split('\r\n');
    expect(lines[0]).toBe(
      '"tester_number","username","device","region","quiz_score","status","applied_at","decided_at","feedback_count"',
    );
    expect(lines.at(-1)).toBe('');
    const rows = lines.slice(1, -1);
    expect(rows).toHaveLength(count);
    expect(rows.map((r) => Number(r.split(',')[0]))).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    expect(rows[0]).toMatch(
      new RegExp(
        `^1,"${evil.user.username}","Fan Watch","'=HYPERLINK\\(""http://x""\\)",1,"accepted","[^"]+","[^"]+",0$`,
      ),
    );
    const anonymous = await fetch(`${t.baseUrl}/api/beta/programs/${programId}/testers.csv`);
    expect(anonymous.status).toBe(401);
  }, 60_000);
});

describe('live seats', () => {
  it('anyone may watch an open program: seats left fall as members are accepted, ending at the truth', async () => {
    const programId = await openProgram({ seats: 3 });
    const watcher = await TestSocket.open(t.baseUrl);
    const sub = (await watcher.subscribe(`beta:${programId}`, 0)) as { cursor: number };
    expect(sub.cursor).toBeGreaterThan(0);
    const crowd = [await makeUser(t), await makeUser(t), await makeUser(t), await makeUser(t)];
    await Promise.all(crowd.map((m) => apply(m, programId)));
    const last = (await watcher.next(
      (m) => m.type === 'event' && (m.data as { seatsLeft: number; waitlistLength: number }).waitlistLength === 1,
    )) as { data: unknown; cursor: number };
    expect(last.data).toMatchObject({
      seats: 3,
      accepted: 3,
      seatsLeft: 0,
      waitlistLength: 1,
      devices: [
        { model: 'Fan Watch', seatsLeft: 0 },
        { model: 'Fan Band', seatsLeft: 0 },
      ],
    });
    watcher.close();
    // a late subscriber with an old cursor gets the state at once
    const late = await TestSocket.open(t.baseUrl);
    await late.subscribe(`beta:${programId}`, 1);
    expect(late.messages.find((m) => m.type === 'event')).toMatchObject({ data: { seatsLeft: 0 } });
    late.close();
    const stranger = await TestSocket.open(t.baseUrl);
    stranger.send({ type: 'subscribe', channel: 'beta:999999' });
    expect(await stranger.next((m) => m.type === 'error')).toMatchObject({ channel: 'beta:999999' });
    stranger.close();
  });
});
