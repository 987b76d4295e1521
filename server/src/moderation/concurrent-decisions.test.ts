import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/app';
import { type Member, makeCategory, makePost, makeThread, makeUser } from '../../test/factories';

let t: TestApp;
let categoryId: number;
beforeAll(async () => {
  t = await startTestApp();
  categoryId = (await makeCategory(t)).id;
});
afterAll(() => t.close());

/** A pending review item: `flagger` flagged a reply of `author`'s. */
async function item(author: Member, flagger: Member) {
  const { id } = await makeThread(t, author.user, { categoryId });
  const postId = await makePost(t, author.user, id, `A reply to flag ${Math.random()}`);
  const res = await flagger.client.post(`/api/posts/${postId}/flags`, { reason: 'rude' });
  if (res.status !== 201) throw new Error(`flag: ${res.status}`);
  return t.db
    .selectFrom('reviewables')
    .select(['id', 'version'])
    .where('post_id', '=', postId)
    .executeTakeFirstOrThrow();
}

describe('decisions at once', () => {
  it('never deadlock when members flag each other and each decision silences the other', async () => {
    // A decision counts the flaggers' accuracy and may silence the author: two decisions where
    // the flagger of one is the author of the other touch the same two members in opposite orders.
    const moderators = await Promise.all([makeUser(t, { role: 'moderator' }), makeUser(t, { role: 'moderator' })]);
    const pairs = await Promise.all(Array.from({ length: 30 }, async () => [await makeUser(t), await makeUser(t)]));
    const items = await Promise.all(
      pairs.map(
        async ([a, b]) => [await item(a as Member, b as Member), await item(b as Member, a as Member)] as const,
      ),
    );
    const answers = await Promise.all(
      items.flatMap(([first, second]) =>
        [first, second].map((reviewable, i) =>
          (moderators[i] as Member).client.post(`/api/review/${reviewable.id}/actions`, {
            action: 'agree',
            version: reviewable.version,
            sanction: { kind: 'silence', days: 1, reason: 'Rude to each other' },
          }),
        ),
      ),
    );
    expect(answers.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    const decided = await t.db
      .selectFrom('reviewables')
      .select('id')
      .where(
        'id',
        'in',
        items.flatMap(([a, b]) => [a.id, b.id]),
      )
      .where('status', '=', 'agreed')
      .execute();
    expect(decided).toHaveLength(60);
  });
});
