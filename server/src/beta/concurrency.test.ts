import type { CreateBetaProgramBody } from '@fanlab/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startTestApp, type TestApp } from '../../test/app';
import { type Member, makeAccount, makeCategory, makeUser } from '../../test/factories';

/*
 * "Seats are never oversold" (issue 10): hundreds of applications at once against one program,
 * through the real app and a real PostgreSQL. Applications are numbered by an identity column
 * assigned inside the apply transaction, after the program row is locked; so id order is the
 * order in which transactions held the lock, which is their commit order.
 */

let t: TestApp;
let pm: Member;
let categoryId: number;

beforeAll(async () => {
  t = await startTestApp();
  pm = await makeUser(t, { role: 'product_manager' });
  categoryId = (await makeCategory(t)).id;
});
afterAll(() => t.close());

/** `count` members signed in (a session each; accounts by the real rule, a few at a time). */
async function members(count: number): Promise<Client[]> {
  const clients: Client[] = [];
  for (let i = 0; i < count; i += 10) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, count - i) }, async () => {
        const user = await makeAccount(t);
        const session = await t.app.auth.createSession(user.id, {});
        const cookie = t.app.auth.createSessionCookie(session.id);
        const client = new Client(t.app);
        client.cookie = `${cookie.name}=${cookie.value}`;
        return client;
      }),
    );
    clients.push(...batch);
  }
  return clients;
}

async function openProgram(slug: string, seats: number, devices: CreateBetaProgramBody['devices']) {
  const made = await pm.client.post('/api/beta/programs', {
    name: slug,
    slug,
    categoryId,
    description: 'Storm.',
    terms: 'Terms.',
    seats,
    devices,
    regions: [],
    minAccountAgeDays: 0,
    minTrustLevel: 0,
    quiz: null,
    mode: 'first_come',
    opensAt: null,
    closesAt: null,
    feedbackCategoryId: null,
  } satisfies CreateBetaProgramBody);
  expect(made.status).toBe(201);
  expect((await pm.client.patch(`/api/beta/programs/${made.body.id}`, { state: 'open' })).status).toBe(200);
  return made.body.id as number;
}

const applications = (programId: number) =>
  t.db
    .selectFrom('beta_applications')
    .select(['id', 'user_id', 'status', 'device_model', 'tester_number', 'waitlist_seq'])
    .where('program_id', '=', programId)
    .orderBy('id')
    .execute();

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('500 applications at once to 50 seats', () => {
  it('accept exactly 50 (tester numbers 1..50) and waitlist 450 (positions 1..450) in commit order; 10 withdrawals promote exactly the next 10', async () => {
    const programId = await openProgram('storm', 50, [{ model: 'Fan One', quota: null }]);
    const crowd = await members(500);
    const answers = await Promise.all(
      crowd.map((c) =>
        c.post(`/api/beta/programs/${programId}/applications`, { deviceModel: 'Fan One', region: 'ES', consent: true }),
      ),
    );
    expect(answers.map((a) => a.status).filter((s) => s !== 201)).toEqual([]);
    const accepted = answers.filter((a) => a.body.outcome === 'accepted');
    const waitlisted = answers.filter((a) => a.body.outcome === 'waitlisted');
    expect(accepted).toHaveLength(50);
    expect(waitlisted).toHaveLength(450);
    expect(accepted.map((a) => a.body.application.testerNumber).sort((x, y) => x - y)).toEqual(range(1, 50));
    // each was told its place right after its commit; nobody left meanwhile: 1..450, no gap, none twice
    expect(waitlisted.map((a) => a.body.application.waitlistPosition).sort((x, y) => x - y)).toEqual(range(1, 450));

    // commit order: the first 50 committed were accepted, numbered in that order; then the line
    const rows = await applications(programId);
    expect(rows.slice(0, 50).map((r) => r.tester_number)).toEqual(range(1, 50));
    expect(rows.slice(50).every((r) => r.status === 'waitlisted' && r.tester_number === null)).toBe(true);
    const seqs = rows.slice(50).map((r) => r.waitlist_seq as number);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(seqs).toEqual(range(1, 450));

    // 10 testers withdraw at once: the first 10 in line, and only they, get the seats
    const leaving = rows.slice(0, 10).map((r) => r.user_id);
    const clientOf = new Map(crowd.map((c, i) => [answers[i]?.body.application.id, c]));
    const leavers = rows.slice(0, 10).map((r) => clientOf.get(r.id) as Client);
    const withdrawn = await Promise.all(
      leavers.map((c) => c.request('DELETE', `/api/beta/programs/${programId}/application`)),
    );
    expect(withdrawn.map((w) => w.status)).toEqual(Array(10).fill(200));
    const after = await applications(programId);
    const byId = new Map(after.map((r) => [r.id, r]));
    const nextTen = rows.slice(50, 60).map((r) => byId.get(r.id));
    expect(nextTen.map((r) => r?.status)).toEqual(Array(10).fill('accepted'));
    expect(nextTen.map((r) => r?.tester_number).sort((x, y) => (x as number) - (y as number))).toEqual(range(51, 60));
    expect(after.filter((r) => r.status === 'accepted')).toHaveLength(50);
    expect(after.filter((r) => r.status === 'withdrawn').map((r) => r.user_id)).toEqual(leaving);
    const stillWaiting = after.filter((r) => r.status === 'waitlisted');
    expect(stillWaiting).toHaveLength(440);
    expect(stillWaiting[0]?.id).toBe(rows[60]?.id);

    const program = await pm.client.get(`/api/beta/programs/${programId}`);
    expect(program.body.seats).toMatchObject({ seats: 50, accepted: 50, seatsLeft: 0, waitlistLength: 440 });
    expect(program.body.testersNumbered).toBe(60);
    // positions are ranks among those still waiting: 1..440 again
    const page = await pm.client.get(`/api/beta/programs/${programId}/applications?status=waitlisted&limit=100`);
    expect(page.body.items.map((a: { waitlistPosition: number }) => a.waitlistPosition)).toEqual(range(1, 100));
  }, 120_000);
});

describe('per-model quotas under a storm', () => {
  it('hold: a model never passes its quota, and its freed seats go to the first in line on that model', async () => {
    const programId = await openProgram('quota-storm', 30, [
      { model: 'Fan Mini', quota: 10 },
      { model: 'Fan One', quota: null },
    ]);
    const crowd = await members(200);
    const answers = await Promise.all(
      crowd.map((c, i) =>
        c.post(`/api/beta/programs/${programId}/applications`, {
          deviceModel: i % 2 ? 'Fan One' : 'Fan Mini',
          region: 'ES',
          consent: true,
        }),
      ),
    );
    expect(answers.map((a) => a.status).filter((s) => s !== 201)).toEqual([]);
    const rows = await applications(programId);
    const accepted = rows.filter((r) => r.status === 'accepted');
    expect(accepted).toHaveLength(30);
    expect(accepted.filter((r) => r.device_model === 'Fan Mini')).toHaveLength(10);
    expect(accepted.map((r) => r.tester_number).sort((x, y) => (x as number) - (y as number))).toEqual(range(1, 30));
    // the first 10 Minis in commit order got the Mini seats
    const minis = rows.filter((r) => r.device_model === 'Fan Mini');
    expect(minis.slice(0, 10).every((r) => r.status === 'accepted')).toBe(true);
    expect(minis.slice(10).every((r) => r.status === 'waitlisted')).toBe(true);

    // 5 Mini testers leave at once: their seats fit only Minis, whoever is earlier in line
    const clientOf = new Map(crowd.map((c, i) => [answers[i]?.body.application.id, c]));
    const leavers = minis.slice(0, 5).map((r) => clientOf.get(r.id) as Client);
    await Promise.all(leavers.map((c) => c.request('DELETE', `/api/beta/programs/${programId}/application`)));
    const after = await applications(programId);
    const byId = new Map(after.map((r) => [r.id, r]));
    expect(minis.slice(10, 15).map((r) => byId.get(r.id)?.status)).toEqual(Array(5).fill('accepted'));
    expect(minis.slice(15).every((r) => byId.get(r.id)?.status === 'waitlisted')).toBe(true);
    const nowAccepted = after.filter((r) => r.status === 'accepted');
    expect(nowAccepted).toHaveLength(30);
    expect(nowAccepted.filter((r) => r.device_model === 'Fan Mini')).toHaveLength(10);
    const devices = await t.db
      .selectFrom('beta_program_devices')
      .select(['model', 'accepted_count'])
      .where('program_id', '=', programId)
      .orderBy('model')
      .execute();
    expect(devices).toEqual([
      { model: 'Fan Mini', accepted_count: 10 },
      { model: 'Fan One', accepted_count: 20 },
    ]);
  }, 120_000);
});

describe('refusals inside a storm', () => {
  it('write nothing and move nobody: the others are placed as if they had not come', async () => {
    const programId = await openProgram('mixed-storm', 10, [{ model: 'Fan One', quota: null }]);
    await pm.client.patch(`/api/beta/programs/${programId}`, { regions: ['ES'] });
    const crowd = await members(50);
    const twice = crowd[0] as Client;
    const requests = [
      ...crowd.map((c, i) => ({ c, region: i % 5 === 4 ? 'FR' : 'ES' })),
      ...Array.from({ length: 4 }, () => ({ c: twice, region: 'ES' })),
    ];
    const answers = await Promise.all(
      requests.map(({ c, region }) =>
        c.post(`/api/beta/programs/${programId}/applications`, { deviceModel: 'Fan One', region, consent: true }),
      ),
    );
    const count = (status: number) => answers.filter((a) => a.status === status).length;
    expect([count(201), count(409), count(422)]).toEqual([40, 4, 10]);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.error.code === 'beta_already_applied')).toBe(
      true,
    );
    const rows = await applications(programId);
    expect(rows).toHaveLength(40);
    expect(rows.slice(0, 10).map((r) => r.tester_number)).toEqual(range(1, 10));
    expect(rows.slice(10).map((r) => r.waitlist_seq)).toEqual(range(1, 30));
  }, 60_000);
});
