import type { CreateBetaProgramBody } from '@fanlab/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startTestApp, type TestApp } from '../../test/app';
import { appTables, changedTables, digest } from '../../test/digest';
import { type Member, makeCategory, makeUser, silence } from '../../test/factories';

let t: TestApp;
let pm: Member;
let categoryId: number;
let n = 0;

beforeAll(async () => {
  t = await startTestApp();
  pm = await makeUser(t, { role: 'product_manager' });
  categoryId = (await makeCategory(t)).id;
});
afterAll(() => t.close());

function programBody(input: Partial<CreateBetaProgramBody> = {}): CreateBetaProgramBody {
  n += 1;
  return {
    name: `Phone OS beta ${n}`,
    slug: `os-beta-${n}`,
    categoryId,
    description: 'Try **4.3** before everyone.',
    terms: 'Builds may break. Do not share screenshots.',
    seats: 3,
    devices: [
      { model: 'Fan One', quota: null },
      { model: 'Fan Mini', quota: 1 },
    ],
    regions: ['ES', 'US'],
    minAccountAgeDays: 0,
    minTrustLevel: 0,
    quiz: null,
    mode: 'first_come',
    opensAt: null,
    closesAt: null,
    feedbackCategoryId: null,
    ...input,
  };
}

/** A program made and opened by the product manager. */
async function openProgram(input: Partial<CreateBetaProgramBody> = {}) {
  const made = await pm.client.post('/api/beta/programs', programBody(input));
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  const opened = await pm.client.patch(`/api/beta/programs/${made.body.id}`, { state: 'open' });
  expect(opened.status, JSON.stringify(opened.body)).toBe(200);
  return opened.body as { id: number; slug: string };
}

const apply = (m: Member, programId: number, body: Record<string, unknown> = {}) =>
  m.client.post(`/api/beta/programs/${programId}/applications`, {
    deviceModel: 'Fan One',
    region: 'ES',
    consent: true,
    ...body,
  });

describe('programs', () => {
  it('are created as drafts by product managers, seen only by them until opened', async () => {
    const member = await makeUser(t);
    const refused = await member.client.post('/api/beta/programs', programBody());
    expect(refused.status).toBe(403);
    const made = await pm.client.post('/api/beta/programs', programBody());
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      state: 'draft',
      accepting: false,
      closedReason: 'draft',
      descriptionCooked: expect.stringContaining('<strong>4.3</strong>'),
      seats: { seats: 3, accepted: 0, seatsLeft: 3, waitlistLength: 0 },
      canManage: true,
    });
    expect((await member.client.get(`/api/beta/programs/${made.body.id}`)).status).toBe(404);
    expect((await member.client.get(`/api/beta/programs/by-slug/${made.body.slug}`)).status).toBe(404);
    const listed = await member.client.get('/api/beta/programs');
    expect(listed.body.items.map((p: { id: number }) => p.id)).not.toContain(made.body.id);
    expect(listed.body.canCreate).toBe(false);
    const managed = await pm.client.get('/api/beta/programs');
    expect(managed.body.items.map((p: { id: number }) => p.id)).toContain(made.body.id);
    expect(managed.body.canCreate).toBe(true);
    await pm.client.patch(`/api/beta/programs/${made.body.id}`, { state: 'open' });
    const seen = await member.client.get(`/api/beta/programs/by-slug/${made.body.slug}`);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ accepting: true, canApply: true, canManage: false, myApplication: null });
  });

  it('refuse contradictions: duplicate models, a quiz answer out of range, closing before opening, a taken slug', async () => {
    const cases: [Partial<CreateBetaProgramBody>, string][] = [
      [
        {
          devices: [
            { model: 'A', quota: null },
            { model: 'A', quota: 1 },
          ],
        },
        'devices',
      ],
      [{ regions: ['ES', 'ES'] }, 'regions'],
      [{ quiz: { questions: [{ prompt: 'Q', choices: ['a', 'b'], correct: 2 }], passMark: 1 } }, 'quiz'],
      [{ quiz: { questions: [{ prompt: 'Q', choices: ['a', 'b'], correct: 1 }], passMark: 2 } }, 'quiz'],
      [{ opensAt: '2030-01-02T00:00:00Z', closesAt: '2030-01-01T00:00:00Z' }, 'closesAt'],
      [{ feedbackCategoryId: 999_999 }, 'feedbackCategoryId'],
    ];
    for (const [input, field] of cases) {
      const res = await pm.client.post('/api/beta/programs', programBody(input));
      expect(res.status, JSON.stringify(input)).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'beta_invalid_program', details: { field } });
    }
    // /beta/new is the page that creates a program: no program may live at that address
    const reserved = await pm.client.post('/api/beta/programs', programBody({ slug: 'new' }));
    expect(reserved.status).toBe(400);
    expect(reserved.body.error).toMatchObject({ code: 'beta_invalid_program', details: { field: 'slug' } });
    const first = await pm.client.post('/api/beta/programs', programBody());
    const renamed = await pm.client.patch(`/api/beta/programs/${first.body.id}`, { slug: 'new' });
    expect(renamed.status).toBe(400);
    expect(renamed.body.error).toMatchObject({ code: 'beta_invalid_program', details: { field: 'slug' } });
    const again = await pm.client.post('/api/beta/programs', programBody({ slug: first.body.slug }));
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('slug_taken');
    expect((await pm.client.post('/api/beta/programs', { ...programBody(), seats: -1 })).status).toBe(400);
  });

  it('follow the life cycle: archived is final', async () => {
    const program = await openProgram();
    expect((await pm.client.patch(`/api/beta/programs/${program.id}`, { state: 'draft' })).body.error.code).toBe(
      'beta_invalid_transition',
    );
    expect((await pm.client.patch(`/api/beta/programs/${program.id}`, { state: 'closed' })).status).toBe(200);
    expect((await pm.client.patch(`/api/beta/programs/${program.id}`, { state: 'open' })).status).toBe(200);
    expect((await pm.client.patch(`/api/beta/programs/${program.id}`, { state: 'archived' })).status).toBe(200);
    const res = await pm.client.patch(`/api/beta/programs/${program.id}`, { state: 'open' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('beta_invalid_transition');
  });

  it('refuse seats or a quota below the testers accepted (409, nothing changed) and fill raised seats from the waitlist', async () => {
    const program = await openProgram({ seats: 2 });
    const members = [await makeUser(t), await makeUser(t), await makeUser(t)];
    for (const m of members) await apply(m, program.id);
    const lower = await pm.client.patch(`/api/beta/programs/${program.id}`, { seats: 1 });
    expect(lower.status).toBe(409);
    expect(lower.body.error).toMatchObject({ code: 'beta_seats_below_accepted', details: { accepted: 2, seats: 1 } });
    const mini = await makeUser(t);
    expect((await apply(mini, program.id, { deviceModel: 'Fan Mini' })).body.outcome).toBe('waitlisted');
    const raised = await pm.client.patch(`/api/beta/programs/${program.id}`, { seats: 4 });
    expect(raised.status).toBe(200);
    // the first in line (Fan One) and then the Mini (its quota of 1 has room)
    expect(raised.body.seats).toMatchObject({ seats: 4, accepted: 4, seatsLeft: 0, waitlistLength: 0 });
    const quota = await pm.client.patch(`/api/beta/programs/${program.id}`, {
      devices: [
        { model: 'Fan One', quota: null },
        { model: 'Fan Mini', quota: 0 },
      ],
    });
    expect(quota.status).toBe(409);
    expect(quota.body.error).toMatchObject({ code: 'beta_seats_below_accepted', details: { model: 'Fan Mini' } });
    const removeModel = await pm.client.patch(`/api/beta/programs/${program.id}`, {
      devices: [{ model: 'Fan One', quota: null }],
    });
    expect(removeModel.status).toBe(409);
    expect(removeModel.body.error).toMatchObject({ code: 'beta_model_in_use', details: { model: 'Fan Mini' } });
  });
});

describe('applying', () => {
  it('accepts with tester numbers while seats last, then waitlists with positions', async () => {
    const program = await openProgram({ seats: 2 });
    const [a, b, c, d] = [await makeUser(t), await makeUser(t), await makeUser(t), await makeUser(t)];
    const first = await apply(a, program.id);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      outcome: 'accepted',
      application: { status: 'accepted', testerNumber: 1, waitlistPosition: null, canWithdraw: true },
    });
    expect((await apply(b, program.id)).body.application.testerNumber).toBe(2);
    expect((await apply(c, program.id)).body).toMatchObject({
      outcome: 'waitlisted',
      application: { waitlistPosition: 1, testerNumber: null },
    });
    expect((await apply(d, program.id)).body.application.waitlistPosition).toBe(2);
    const mine = await d.client.get('/api/beta/me/applications');
    expect(mine.body.items[0]).toMatchObject({
      program: { id: program.id },
      status: 'waitlisted',
      waitlistPosition: 2,
    });
  });

  it('holds per-model quotas: a full model waitlists even with seats left', async () => {
    const program = await openProgram({ seats: 3 });
    const [a, b] = [await makeUser(t), await makeUser(t)];
    expect((await apply(a, program.id, { deviceModel: 'Fan Mini' })).body.outcome).toBe('accepted');
    expect((await apply(b, program.id, { deviceModel: 'Fan Mini' })).body.outcome).toBe('waitlisted');
    const seen = await a.client.get(`/api/beta/programs/${program.id}`);
    expect(seen.body.seats).toMatchObject({
      seatsLeft: 2,
      waitlistLength: 1,
      devices: [
        { model: 'Fan One', seatsLeft: 2 },
        { model: 'Fan Mini', seatsLeft: 0 },
      ],
    });
  });

  it('refuses bad input and every failed rule with a clear 4xx, writing nothing', async () => {
    const tables = await appTables(t.db);
    const quiz = {
      questions: [
        { prompt: 'Which build channel ships on Fridays?', choices: ['stable', 'beta'], correct: 1 },
        { prompt: 'Where do testers report?', choices: ['the feedback category', 'mail'], correct: 0 },
      ],
      passMark: 2,
    };
    const program = await openProgram({ quiz, minTrustLevel: 2, minAccountAgeDays: 0 });
    const member = await makeUser(t, { trustLevel: 2 });
    const ok = { quizAnswers: [1, 0] };
    const silenced = await makeUser(t, { trustLevel: 2 });
    await silence(t, silenced.user.id);
    const low = await makeUser(t, { trustLevel: 1 });
    const anonymous = new Client(t.app);

    // visits are recorded on every signed-in request, refused or not
    const options = { skipTables: ['rate_limits'], skipColumns: { users: ['last_seen_at', 'days_visited'] } };
    const before = await digest(t.db, tables, options);
    const refusals: [Member['client'], Record<string, unknown>, number, string][] = [
      [anonymous, ok, 401, 'unauthenticated'],
      [silenced.client, ok, 403, 'silenced'],
      [member.client, { ...ok, consent: false }, 400, 'beta_consent_required'],
      [member.client, { quizAnswers: [1] }, 400, 'beta_quiz_answers'],
      [member.client, { quizAnswers: [1, 0, 1] }, 400, 'beta_quiz_answers'],
      [member.client, {}, 400, 'beta_quiz_answers'],
      [member.client, { quizAnswers: [1, 5] }, 400, 'beta_quiz_answers'],
      [member.client, { ...ok, deviceModel: 'Rival X' }, 422, 'beta_not_eligible'],
      [member.client, { ...ok, region: 'FR' }, 422, 'beta_not_eligible'],
      [member.client, { quizAnswers: [0, 0] }, 422, 'beta_not_eligible'],
      [low.client, ok, 422, 'beta_not_eligible'],
      [member.client, { ...ok, extra: 1 }, 400, 'validation_failed'],
    ];
    for (const [client, body, status, code] of refusals) {
      const res = await client.post(`/api/beta/programs/${program.id}/applications`, {
        deviceModel: 'Fan One',
        region: 'ES',
        consent: true,
        ...body,
      });
      expect(res.status, `${code} ${JSON.stringify(body)}`).toBe(status);
      expect(res.body.error.code).toBe(code);
    }
    expect(changedTables(before, await digest(t.db, tables, options))).toEqual([]);

    // every failed rule at once, each named
    const all = await low.client.post(`/api/beta/programs/${program.id}/applications`, {
      deviceModel: 'Rival X',
      region: 'FR',
      consent: true,
      quizAnswers: [0, 1],
    });
    expect(all.status).toBe(422);
    expect(all.body.error.details.failed.map((f: { rule: string }) => f.rule)).toEqual([
      'device',
      'region',
      'trust_level',
      'quiz',
    ]);

    expect((await apply(member, program.id, ok)).body.outcome).toBe('accepted');
    const twice = await apply(member, program.id, ok);
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('beta_already_applied');
  });

  it('refuses before opening, after closing, when closed and to a draft (422 naming the rule)', async () => {
    const member = await makeUser(t);
    const soon = await openProgram({ opensAt: new Date(Date.now() + 3_600_000).toISOString() });
    const late = await openProgram({
      opensAt: new Date(Date.now() - 7_200_000).toISOString(),
      closesAt: new Date(Date.now() - 3_600_000).toISOString(),
    });
    const closed = await openProgram();
    await pm.client.patch(`/api/beta/programs/${closed.id}`, { state: 'closed' });
    const draft = (await pm.client.post('/api/beta/programs', programBody())).body;
    for (const [program, rule] of [
      [soon, 'not_open_yet'],
      [late, 'closed'],
      [closed, 'closed'],
    ] as const) {
      const res = await apply(member, program.id);
      expect(res.status).toBe(422);
      expect(res.body.error.details.failed).toEqual([{ rule, message: expect.any(String) }]);
    }
    expect((await apply(member, draft.id)).status).toBe(404);
    const own = await apply(pm, draft.id);
    expect(own.status).toBe(422);
    expect(own.body.error.details.failed[0].rule).toBe('draft');
    const young = await openProgram({ minAccountAgeDays: 30 });
    const res = await apply(member, young.id);
    expect(res.body.error.details.failed.map((f: { rule: string }) => f.rule)).toEqual(['account_age']);
  });

  it('withdrawing frees the seat for the first waitlisted applicant it fits, in the same transaction, who is notified', async () => {
    const program = await openProgram({ seats: 1 });
    const [a, mini, b] = [await makeUser(t), await makeUser(t), await makeUser(t)];
    await apply(a, program.id, { deviceModel: 'Fan Mini' });
    await apply(mini, program.id, { deviceModel: 'Fan Mini' });
    await apply(b, program.id);
    const other = await openProgram({ seats: 1 });
    // a Fan One tester withdraws elsewhere: nothing moves here
    await apply(b, other.id);
    const withdrawn = await a.client.request('DELETE', `/api/beta/programs/${program.id}/application`);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', testerNumber: 1, canWithdraw: false });
    // the Mini's quota (1) is free again: the first in line, a Mini, gets the seat
    const promoted = await mini.client.get(`/api/beta/programs/${program.id}`);
    expect(promoted.body.myApplication).toMatchObject({ status: 'accepted', testerNumber: 2 });
    expect((await b.client.get(`/api/beta/programs/${program.id}`)).body.myApplication.waitlistPosition).toBe(1);
    const notes = await mini.client.get('/api/notifications');
    expect(notes.body.items[0]).toMatchObject({
      kind: 'beta_waitlisted_promoted',
      data: { programId: program.id, testerNumber: 2 },
    });
    const again = await a.client.request('DELETE', `/api/beta/programs/${program.id}/application`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('beta_invalid_transition');
    const reapply = await apply(a, program.id, { deviceModel: 'Fan Mini' });
    expect(reapply.body.error.code).toBe('beta_already_applied');
    expect((await b.client.request('DELETE', `/api/beta/programs/${program.id}/application`)).status).toBe(200);
  });
});
