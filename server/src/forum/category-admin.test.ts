// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, startTestApp, type TestApp } from '../../test/app';
import { makeAccount, makeCategory, makeThread, makeUser } from '../../test/factories';

let t: TestApp;
let admin: Client;
beforeAll(async () => {
  t = await startTestApp();
  admin = (await makeUser(t, { role: 'admin' })).client;
});
afterAll(() => t.close());

let n = 0;
const slug = (what: string) => `${what}-${++n}`;

/** Top-level categories of their own, so each test orders only what it made. */
async function family(children: number) {
  const parent = await makeCategory(t, { slug: slug('parent'), name: `Parent ${n}` });
  const kids = [];
  for (let i = 0; i < children; i++) {
    kids.push(await makeCategory(t, { slug: slug('child'), name: `Child ${n}`, parentId: parent.id }));
  }
  return { parent, kids: kids.map((k) => k.id) };
}

/** The children of `parentId` in the order the public list shows them. */
async function publicOrder(parentId: number): Promise<number[]> {
  const res = await admin.get('/api/categories');
  return res.body.categories.filter((c: any) => c.parentId === parentId).map((c: any) => c.id);
}

/** Every parent's children (and the top level) hold distinct positions. */
async function positionsAreDistinct() {
  const rows = await t.db.selectFrom('categories').select(['parent_id', 'position']).execute();
  const seen = new Set(rows.map((r) => `${r.parent_id}:${r.position}`));
  return seen.size === rows.length;
}

const reorder = (parentId: number | null, order: number[], client = admin) =>
  client.put('/api/admin/categories/order', { parentId, order });

describe('category order', () => {
  it('puts new categories last and follows a reorder everywhere categories are listed', async () => {
    const { parent, kids } = await family(3);
    const [a, b, c] = kids as [number, number, number];
    expect(await publicOrder(parent.id)).toEqual([a, b, c]);
    const res = await reorder(parent.id, [c, a, b]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.categories.map((x: any) => [x.id, x.position])).toEqual([
      [c, 0],
      [a, 1],
      [b, 2],
    ]);
    expect(await publicOrder(parent.id)).toEqual([c, a, b]);
    const one = await admin.get(`/api/categories/${parent.slug}`);
    expect(one.body.children.map((x: any) => x.id)).toEqual([c, a, b]);

    const log = (await admin.get('/api/admin/audit-log?action=category.reordered&limit=1')).body.items[0];
    expect(log).toMatchObject({ targetId: parent.id, data: { parent: parent.id, from: [a, b, c], to: [c, a, b] } });
  });

  it('orders the top level, and a category moved to another parent goes last there', async () => {
    const one = await family(2);
    const two = await family(1);
    const top = (await admin.get('/api/categories')).body.categories
      .filter((c: any) => c.parentId === null)
      .map((c: any) => c.id);
    const reversed = [...top].reverse();
    expect((await reorder(null, reversed)).status).toBe(200);
    const after = (await admin.get('/api/categories')).body.categories.filter((c: any) => c.parentId === null);
    expect(after.map((c: any) => c.id)).toEqual(reversed);

    const moved = one.kids[0] as number;
    const patched = await admin.patch(`/api/admin/categories/${moved}`, { parentId: two.parent.id });
    expect(patched.status).toBe(200);
    expect(await publicOrder(two.parent.id)).toEqual([...two.kids, moved]);
    expect(await positionsAreDistinct()).toBe(true);
  });

  it('refuses an order that is not the current siblings: 409, nothing written', async () => {
    const { parent, kids } = await family(3);
    const [a, b, c] = kids as [number, number, number];
    const other = await family(1);
    const stale = [
      [a, b], // one missing (e.g. added meanwhile)
      [a, b, c, other.kids[0] as number], // one that is not a sibling
    ];
    for (const order of stale) {
      const res = await reorder(parent.id, order);
      expect(res.status, JSON.stringify(order)).toBe(409);
      expect(res.body.error.code).toBe('category_order_stale');
    }
    expect(await publicOrder(parent.id)).toEqual([a, b, c]);
    expect((await reorder(999_999, [a])).status).toBe(404);
    for (const body of [
      { parentId: parent.id, order: [a, a, b] },
      { parentId: parent.id, order: [] },
      { parentId: parent.id, order: ['a'] },
      { parentId: parent.id, order: [0] },
      { parentId: 'x', order: [a] },
      { order: [a] },
      { parentId: parent.id, order: [a, b, c], extra: true },
    ]) {
      const res = await admin.put('/api/admin/categories/order', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    const member = (await makeUser(t)).client;
    expect((await reorder(parent.id, [c, b, a], member)).status).toBe(403);
    const moderator = (await makeUser(t, { role: 'moderator' })).client;
    expect((await reorder(parent.id, [c, b, a], moderator)).status).toBe(403);
    expect(await publicOrder(parent.id)).toEqual([a, b, c]);
  });

  it('concurrent reorders of the same siblings: each applies whole, the last one wins, never a 500', async () => {
    const { parent, kids } = await family(6);
    const orders = Array.from({ length: 12 }, (_, i) => [...kids.slice(i % 6), ...kids.slice(0, i % 6)].reverse());
    const answers = await Promise.all(orders.map((order) => reorder(parent.id, order)));
    expect(answers.map((r) => r.status)).toEqual(orders.map(() => 200));
    const final = await publicOrder(parent.id);
    const rows = await t.db
      .selectFrom('categories')
      .select(['id', 'position'])
      .where('parent_id', '=', parent.id)
      .orderBy('position')
      .execute();
    expect(rows.map((r) => r.position)).toEqual([0, 1, 2, 3, 4, 5]);
    const last = (await admin.get(`/api/admin/audit-log?action=category.reordered&targetId=${parent.id}&limit=1`)).body
      .items[0];
    expect(final).toEqual(last.data.to);
  });

  it('a reorder racing a move or a new sibling never leaves two siblings on one position', async () => {
    for (let round = 0; round < 15; round++) {
      const from = await family(3);
      const to = await family(3);
      const mover = from.kids[0] as number;
      const [reordered, moved, created] = await Promise.all([
        reorder(from.parent.id, [...from.kids].reverse()),
        admin.patch(`/api/admin/categories/${mover}`, { parentId: to.parent.id }),
        admin.post('/api/admin/categories', { slug: slug('late'), name: 'Late', parentId: from.parent.id }),
      ]);
      expect([200, 409]).toContain(reordered.status);
      expect(moved.status).toBe(200);
      expect(created.status).toBe(201);
      expect(await positionsAreDistinct(), `round ${round}`).toBe(true);
    }
  });
});

describe('category language', () => {
  it('takes BCP-47 tags (language, script, region) and null, refuses anything else', async () => {
    const made = await admin.post('/api/admin/categories', { slug: slug('lang'), name: 'Brasil', locale: 'pt-BR' });
    expect(made.status).toBe(201);
    expect(made.body.locale).toBe('pt-BR');
    for (const locale of ['es', 'zh-Hans', 'es-419', 'fil', null]) {
      const res = await admin.patch(`/api/admin/categories/${made.body.id}`, { locale });
      expect(res.status, String(locale)).toBe(200);
      expect(res.body.locale).toBe(locale);
    }
    for (const locale of ['', 'EN', 'pt_BR', 'pt-br', 'english', 'e', 'es-', 'zh-hans', 42]) {
      const res = await admin.patch(`/api/admin/categories/${made.body.id}`, { locale });
      expect(res.status, String(locale)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });

  it('is checked by the database too', async () => {
    const row = await makeCategory(t, { slug: slug('db') });
    await expect(
      t.db.updateTable('categories').set({ locale: 'not a tag' }).where('id', '=', row.id).execute(),
    ).rejects.toThrow(/categories_locale_bcp47/);
  });
});

describe('category edits in the audit log', () => {
  it('records each changed field as [before, after], and nothing unchanged', async () => {
    const row = await makeCategory(t, { slug: slug('audit'), name: 'Before', color: '#112233' });
    const res = await admin.patch(`/api/admin/categories/${row.id}`, {
      name: 'After',
      color: '#112233',
      locale: 'es',
    });
    expect(res.status).toBe(200);
    const entry = (await admin.get(`/api/admin/audit-log?action=category.updated&targetId=${row.id}`)).body.items[0];
    expect(entry.data).toEqual({ name: ['Before', 'After'], locale: [null, 'es'] });
  });

  it('refuses to delete a category with threads: 409, kept', async () => {
    const row = await makeCategory(t, { slug: slug('busy') });
    await makeThread(t, await makeAccount(t), { categoryId: row.id });
    const res = await admin.request('DELETE', `/api/admin/categories/${row.id}`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('category_not_empty');
    expect((await admin.get(`/api/categories/${row.slug}`)).status).toBe(200);
  });
});
