// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field
import { REVIEW_CHANNEL, ReviewChannelEvents } from '@fanlab/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/app';
import { type Member, makeCategory, makePost, makeThread, makeUser } from '../../test/factories';
import { publish } from '../db/bus';
import { withTx } from '../db/tx';
import { QueuePageCache } from './queue-cache';

describe('QueuePageCache', () => {
  const body = (s: string) => Buffer.from(s);

  it('reads a page once for everyone asking at the same moment, then serves it until it ages out', async () => {
    const cache = new QueuePageCache(60);
    let reads = 0;
    const read = async () => {
      reads++;
      await new Promise((r) => setTimeout(r, 20));
      return body(`read ${reads}`);
    };
    const pages = await Promise.all([cache.page('a', read), cache.page('a', read), cache.page('a', read)]);
    expect(pages.map(String)).toEqual(['read 1', 'read 1', 'read 1']);
    expect(String(await cache.page('a', read))).toBe('read 1');
    expect(String(await cache.page('b', read))).toBe('read 2'); // another page is read on its own
    await new Promise((r) => setTimeout(r, 70));
    expect(String(await cache.page('a', read))).toBe('read 3');
  });

  it('never keeps a page whose read began before the queue changed, and drops pages on review:1', async () => {
    const cache = new QueuePageCache(60_000);
    let release: (b: Buffer) => void = () => {};
    const slow = cache.page('a', () => new Promise<Buffer>((r) => (release = r)));
    cache.heard({ channel: REVIEW_CHANNEL, event: ReviewChannelEvents.changed, cursor: null, data: {} });
    const fresh = cache.page('a', async () => body('after'));
    release(body('before'));
    expect(String(await slow)).toBe('before'); // its own caller gets what it read
    expect(String(await fresh)).toBe('after'); // a later one did not join the older read
    expect(String(await cache.page('a', async () => body('again')))).toBe('after');
    cache.heard({ channel: 'thread:4', event: 'post_updated', cursor: 3, data: {} }); // not the queue
    expect(String(await cache.page('a', async () => body('again')))).toBe('after');
    cache.heard({ channel: REVIEW_CHANNEL, event: ReviewChannelEvents.changed, cursor: null, data: {} });
    expect(String(await cache.page('a', async () => body('again')))).toBe('again');
  });

  it('keeps at most 16 MB of pages, dropping the oldest first', async () => {
    const cache = new QueuePageCache(60_000);
    let reads = 0;
    const big = async () => {
      reads++;
      return Buffer.alloc(6 * 1024 * 1024);
    };
    for (const key of ['a', 'b', 'c']) await cache.page(key, big);
    expect(reads).toBe(3);
    await cache.page('c', big);
    await cache.page('b', big);
    expect(reads).toBe(3); // the newest two are kept
    await cache.page('a', big);
    expect(reads).toBe(4); // the oldest was dropped
  });

  it('caches nothing with a max age of 0', async () => {
    const cache = new QueuePageCache(0);
    let reads = 0;
    const read = async () => body(String(++reads));
    await cache.page('a', read);
    await cache.page('a', read);
    expect(reads).toBe(2);
  });
});

describe('the review queue from the cache (pages kept up to a minute here)', () => {
  let t: TestApp;
  let modA: Member;
  let modB: Member;
  let postId: number;
  beforeAll(async () => {
    t = await startTestApp({ env: { REVIEW_QUEUE_CACHE_MS: '60000' } });
    const category = await makeCategory(t);
    const author = await makeUser(t);
    modA = await makeUser(t, { role: 'moderator' });
    modB = await makeUser(t, { role: 'moderator' });
    const thread = await makeThread(t, author.user, { categoryId: category.id });
    postId = await makePost(t, author.user, thread.id, 'Cheap watches here');
    for (let i = 0; i < 3; i++) {
      expect((await (await makeUser(t)).client.post(`/api/posts/${postId}/flags`, { reason: 'spam' })).status).toBe(
        201,
      );
    }
    // the moderators' last-seen times are recorded (in the background, at most every few minutes)
    await modA.client.get('/api/me');
    await modB.client.get('/api/me');
    for (let quiet = 0; quiet < 2; ) {
      const before = t.database.stats.queries;
      await new Promise((r) => setTimeout(r, 100));
      quiet = t.database.stats.queries === before ? quiet + 1 : 0;
    }
  });
  afterAll(() => t.close());

  const queriesFor = async (m: Member, url: string) => {
    const before = t.database.stats.queries;
    const res = await m.client.get(url);
    expect(res.status).toBe(200);
    return { queries: t.database.stats.queries - before, body: res.body };
  };
  const itemOf = async (m: Member) =>
    (await m.client.get('/api/review')).body.items.find((x: any) => x.post.id === postId);

  it('serves one read to every moderator; a change announced by any process drops it at once', async () => {
    const first = await queriesFor(modA, '/api/review');
    expect(first.queries).toBe(2); // the session, the page
    const second = await queriesFor(modB, '/api/review');
    expect(second.queries).toBe(1); // the session only
    expect(second.body).toEqual(first.body);
    expect(second.body.items.find((x: any) => x.post.id === postId).claimedBy).toBeNull();

    // a change nobody announces stays unseen while the page is kept…
    await t.db.updateTable('reviewables').set({ claimed_by: modA.user.id, claimed_at: new Date() }).execute();
    await new Promise((r) => setTimeout(r, 300));
    expect((await itemOf(modB)).claimedBy).toBeNull();
    // …and shows as soon as it is announced on review:1, as every rule changing an item does (from any process)
    await withTx(t.db, (tx) =>
      publish(tx, { channel: REVIEW_CHANNEL, event: ReviewChannelEvents.changed, cursor: null, data: {} }),
    );
    await expect.poll(async () => (await itemOf(modB)).claimedBy?.id, { timeout: 2_000 }).toBe(modA.user.id);
  });

  it("shows this process's own decisions at once, before their announcement comes back", async () => {
    await t.db.updateTable('reviewables').set({ claimed_by: null, claimed_at: null }).execute();
    await withTx(t.db, (tx) =>
      publish(tx, { channel: REVIEW_CHANNEL, event: ReviewChannelEvents.changed, cursor: null, data: {} }),
    );
    await expect.poll(async () => (await itemOf(modA)).claimedBy, { timeout: 2_000 }).toBeNull();
    const pending = await itemOf(modA);
    const decided = await modA.client.post(`/api/review/${pending.id}/actions`, {
      action: 'ignore',
      version: pending.version,
    });
    expect(decided.status).toBe(200);
    expect(await itemOf(modB)).toBeUndefined();
  });
});
