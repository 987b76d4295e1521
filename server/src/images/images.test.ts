// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recookImages } from '../../../migrations/0008_external_images';
import { Client, signUp, startTestApp, type TestApp } from '../../test/app';
import { makeCategory } from '../../test/factories';
import { forumFixture, startThread } from '../../test/forum';
import { IMAGE_HOST_CA, type ImageHost, PNG, redirect, serve, startImageHost } from '../../test/image-host';
import { isPublicAddress } from './addresses';
import { evictUnusedImages } from './cache';
import { fetchImage, IMAGE_LIMITS, sniffImageType } from './fetch';
import { imageHash, imagePath } from './urls';

let host: ImageHost;
let t: TestApp;
let f: Awaited<ReturnType<typeof forumFixture>>;
const testHost = () => ({ allowHosts: ['127.0.0.1'], ca: IMAGE_HOST_CA });

beforeAll(async () => {
  host = await startImageHost();
  t = await startTestApp({ images: testHost() });
  f = await forumFixture(t);
});
afterAll(async () => {
  await t?.close();
  await host?.close();
});

const GIF = Buffer.from('R0lGODlhAQABAAAAACw=', 'base64');
const SVG = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>';

describe('address rules', () => {
  it('refuses loopback, private, link-local, CGNAT, unique-local, multicast, unspecified and mapped forms', () => {
    for (const address of [
      '127.0.0.1',
      '127.255.0.9',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '0.1.2.3',
      '224.0.0.1',
      '255.255.255.255',
      '::',
      '::1',
      'fe80::1',
      'fc00::1',
      'fd12:3456::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '::ffff:8.8.8.8',
      '64:ff9b::a00:1',
      'not-an-address',
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
    for (const address of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111']) {
      expect(isPublicAddress(address), address).toBe(true);
    }
  });
});

describe('content type', () => {
  it('knows png, jpeg, gif, webp and avif by their first bytes, nothing else', () => {
    expect(sniffImageType(PNG)).toBe('image/png');
    expect(sniffImageType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe('image/jpeg');
    expect(sniffImageType(GIF)).toBe('image/gif');
    expect(sniffImageType(Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1'))).toBe('image/webp');
    const avif = Buffer.alloc(32);
    avif.writeUInt32BE(24, 0);
    avif.write('ftypmif1\0\0\0\0mif1avif', 4, 'latin1');
    expect(sniffImageType(avif)).toBe('image/avif');
    expect(sniffImageType(Buffer.from(SVG))).toBeUndefined();
    expect(sniffImageType(Buffer.from('<!doctype html><html></html>'))).toBeUndefined();
    expect(sniffImageType(Buffer.alloc(0))).toBeUndefined();
  });
});

describe('fetching with the real rules (no test allowance)', () => {
  it('refuses loopback and private hosts, by address or by name, before connecting', async () => {
    host.route('/real.png', serve(PNG));
    for (const url of [
      `${host.origin}/real.png`,
      `https://localhost:${host.port}/real.png`,
      `https://[::ffff:127.0.0.1]:${host.port}/real.png`,
      `https://[::1]:${host.port}/real.png`,
      'https://10.0.0.1/a.png',
      'https://169.254.169.254/latest/meta-data',
      'https://2130706433/a.png',
    ]) {
      const result = await fetchImage(url, { ca: IMAGE_HOST_CA });
      expect(result.ok, url).toBe(false);
    }
    expect(host.hits.get('/real.png')).toBeUndefined();
    expect(await fetchImage('http://example.com/a.png')).toEqual({ ok: false, error: 'http: is not https' });
  });
});

describe('fetching from the test host', () => {
  it('fetches an image over https', async () => {
    host.route('/ok.png', serve(PNG));
    expect(await fetchImage(`${host.origin}/ok.png`, testHost())).toEqual({
      ok: true,
      contentType: 'image/png',
      bytes: PNG,
    });
  });

  it('vets every redirect: to a name resolving to loopback or to a private address is refused', async () => {
    host.route('/good.png', serve(PNG));
    host.route('/to-good', redirect('/good.png'));
    host.route('/to-localhost', redirect(`https://localhost:${host.port}/good.png`));
    host.route('/to-private', redirect('https://192.168.0.10/x.png'));
    host.route('/to-http', redirect(`http://127.0.0.1:${host.port}/good.png`));
    expect((await fetchImage(`${host.origin}/to-good`, testHost())).ok).toBe(true);
    const before = host.hits.get('/good.png');
    for (const path of ['/to-localhost', '/to-private', '/to-http']) {
      expect((await fetchImage(`${host.origin}${path}`, testHost())).ok, path).toBe(false);
    }
    expect(host.hits.get('/good.png')).toBe(before);
  });

  it('follows at most 3 redirects', async () => {
    host.route('/r0', serve(PNG));
    for (let i = 1; i <= 4; i++) host.route(`/r${i}`, redirect(`/r${i - 1}`));
    expect((await fetchImage(`${host.origin}/r3`, testHost())).ok).toBe(true);
    expect(await fetchImage(`${host.origin}/r4`, testHost())).toEqual({ ok: false, error: 'too many redirects' });
  });

  it('refuses SVG and HTML whatever their declared type, and bodies over the size limit', async () => {
    host.route('/x.svg', serve(SVG, 'image/svg+xml'));
    host.route('/page.png', serve('<!doctype html><p>hi</p>', 'image/png'));
    const big = Buffer.concat([PNG, Buffer.alloc(IMAGE_LIMITS.maxBytes)]);
    host.route('/big.png', serve(big));
    // no Content-Length: the stream is cut once it passes the limit
    host.route('/big-chunked.png', (_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.write(PNG);
      const chunk = Buffer.alloc(256 * 1024);
      let sent = 0;
      const more = () => {
        while (sent < 40 && res.write(chunk)) sent += 1;
        if (sent < 40) res.once('drain', more);
        else res.end();
      };
      more();
    });
    for (const path of ['/x.svg', '/page.png']) {
      expect(await fetchImage(`${host.origin}${path}`, testHost())).toEqual({
        ok: false,
        error: 'not a png, jpeg, gif, webp or avif image',
      });
    }
    for (const path of ['/big.png', '/big-chunked.png']) {
      expect(await fetchImage(`${host.origin}${path}`, testHost())).toEqual({
        ok: false,
        error: `image is larger than ${IMAGE_LIMITS.maxBytes} bytes`,
      });
    }
  });

  it('gives up on a host that stops answering', async () => {
    host.route('/stall.png', () => {});
    const started = Date.now();
    const result = await fetchImage(`${host.origin}/stall.png`, testHost());
    expect(result).toEqual({ ok: false, error: 'the host stopped answering' });
    expect(Date.now() - started).toBeLessThan(IMAGE_LIMITS.totalTimeoutMs);
  }, 20_000);
});

async function cookedOfThread(client: Client, body: string) {
  const thread = await startThread(client, f.category.id, 'Pictures of phones', body);
  const detail = await client.get(`/api/threads/${thread.id}`);
  return detail.body.posts[0].cooked as string;
}

describe('GET /api/images/:hash', () => {
  it('shows post images through Fanlab: the cooked HTML no longer names the remote host', async () => {
    const url = 'https://images.example/cat.png?size=big&x=1';
    const cooked = await cookedOfThread(f.member, `A cat: ![a cat](${url})`);
    expect(cooked).toContain(`<img src="${imagePath(url)}" alt="a cat" loading="lazy">`);
    expect(cooked).not.toContain('images.example');
    const row = await t.db
      .selectFrom('external_images')
      .selectAll()
      .where('url_hash', '=', imageHash(url))
      .executeTakeFirst();
    expect(row).toMatchObject({ url, status: 'pending', bytes: null });
  });

  it('fetches once, then serves from the cache with long-lived caching and strict headers', async () => {
    host.route('/cached.png', serve(PNG));
    const cooked = await cookedOfThread(f.member, `![p](${host.origin}/cached.png)`);
    const src = /<img src="([^"]+)"/.exec(cooked)?.[1] as string;
    expect(src).toMatch(/^\/api\/images\/[A-Za-z0-9_-]{43}$/);
    const reader = new Client(t.app);
    const first = await t.app.inject({ method: 'GET', url: src });
    expect(first.statusCode).toBe(200);
    expect(first.rawPayload.equals(PNG)).toBe(true);
    expect(first.headers).toMatchObject({
      'content-type': 'image/png',
      'cache-control': 'public, max-age=2592000',
      'x-content-type-options': 'nosniff',
      'content-disposition': 'inline',
      'content-security-policy': "default-src 'none'; sandbox",
    });
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    const second = await reader.get(src);
    expect(second.status).toBe(200);
    expect(host.hits.get('/cached.png')).toBe(1);
    const revalidated = await t.app.inject({ method: 'GET', url: src, headers: { 'if-none-match': etag } });
    expect(revalidated.statusCode).toBe(304);
    expect(host.hits.get('/cached.png')).toBe(1);
  });

  it('fetches once for concurrent first requests', async () => {
    host.route('/slow.gif', (_req, res) => {
      setTimeout(() => res.writeHead(200, { 'content-type': 'image/gif' }).end(GIF), 200);
    });
    const cooked = await cookedOfThread(f.member, `![g](${host.origin}/slow.gif)`);
    const src = /<img src="([^"]+)"/.exec(cooked)?.[1] as string;
    const answers = await Promise.all(Array.from({ length: 8 }, () => t.app.inject({ method: 'GET', url: src })));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(8).fill(200));
    expect(answers.every((a) => a.headers['content-type'] === 'image/gif')).toBe(true);
    expect(host.hits.get('/slow.gif')).toBe(1);
  });

  it('serves only recorded URLs: an unknown or malformed hash is a JSON error', async () => {
    const unknown = await t.app.inject({
      method: 'GET',
      url: `/api/images/${imageHash('https://never.example/x.png')}`,
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('not_found');
    const malformed = await t.app.inject({ method: 'GET', url: '/api/images/..%2F..%2Fetc' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('validation_failed');
  });

  it('answers a refused image with 502 and remembers the failure for an hour', async () => {
    host.route('/evil.svg', serve(SVG, 'image/svg+xml'));
    const cooked = await cookedOfThread(f.member, `![s](${host.origin}/evil.svg)`);
    const src = /<img src="([^"]+)"/.exec(cooked)?.[1] as string;
    for (let i = 0; i < 2; i++) {
      const res = await t.app.inject({ method: 'GET', url: src });
      expect(res.statusCode).toBe(502);
      expect(res.json().error.code).toBe('image_unavailable');
      expect(String(res.headers['content-type'])).toContain('application/json');
    }
    expect(host.hits.get('/evil.svg')).toBe(1);
    // an hour later it is tried again
    await t.db
      .updateTable('external_images')
      .set({ fetched_at: sql<Date>`now() - interval '61 minutes'` })
      .where('url_hash', '=', src.slice('/api/images/'.length))
      .execute();
    expect((await t.app.inject({ method: 'GET', url: src })).statusCode).toBe(502);
    expect(host.hits.get('/evil.svg')).toBe(2);
  });

  it('records images of previews and official idea responses too', async () => {
    host.route('/preview.png', serve(PNG));
    const preview = await f.member.post('/api/markdown/preview', { body: `![p](${host.origin}/preview.png)` });
    expect(preview.body.cooked).not.toContain(host.origin);
    const src = /<img src="([^"]+)"/.exec(preview.body.cooked)?.[1] as string;
    expect((await t.app.inject({ method: 'GET', url: src })).statusCode).toBe(200);

    const ideas = await makeCategory(t, { slug: 'image-ideas', name: 'Image ideas', allowIdeas: true });
    const fan = await (async () => {
      const c = new Client(t.app);
      await signUp(c);
      return c;
    })();
    const idea = await fan.post('/api/threads', {
      categoryId: ideas.id,
      kind: 'idea',
      title: 'Bigger pictures',
      body: 'x',
    });
    const url = 'https://images.example/roadmap.png';
    const res = await f.admin.put(`/api/ideas/${idea.body.id}/status`, { status: 'planned', response: `![r](${url})` });
    expect(res.body.officialResponseCooked).toContain(imagePath(url));
    expect(res.body.officialResponseCooked).not.toContain('images.example');
    expect(await t.db.selectFrom('external_images').select('url').where('url', '=', url).executeTakeFirst()).toEqual({
      url,
    });
  });

  it('evicts bytes not served for 30 days; the image is fetched again when asked for', async () => {
    host.route('/old.png', serve(PNG));
    const cooked = await cookedOfThread(f.member, `![o](${host.origin}/old.png)`);
    const src = /<img src="([^"]+)"/.exec(cooked)?.[1] as string;
    const hash = src.slice('/api/images/'.length);
    expect((await t.app.inject({ method: 'GET', url: src })).statusCode).toBe(200);
    await t.db
      .updateTable('external_images')
      .set({ last_used_at: sql<Date>`now() - interval '29 days'` })
      .where('url_hash', '=', hash)
      .execute();
    await evictUnusedImages(t.db);
    const kept = await t.db
      .selectFrom('external_images')
      .select(['status'])
      .where('url_hash', '=', hash)
      .executeTakeFirst();
    expect(kept?.status).toBe('ok');
    await t.db
      .updateTable('external_images')
      .set({ last_used_at: sql<Date>`now() - interval '31 days'` })
      .where('url_hash', '=', hash)
      .execute();
    expect(await evictUnusedImages(t.db)).toBeGreaterThanOrEqual(1);
    const evicted = await t.db
      .selectFrom('external_images')
      .select(['status', 'bytes'])
      .where('url_hash', '=', hash)
      .executeTakeFirst();
    expect(evicted).toEqual({ status: 'pending', bytes: null });
    expect((await t.app.inject({ method: 'GET', url: src })).statusCode).toBe(200);
    expect(host.hits.get('/old.png')).toBe(2);
  });
});

describe('texts cooked before the image proxy', () => {
  it('are rewritten to the proxied path and their URLs recorded, idempotently', async () => {
    const thread = await startThread(f.member, f.category.id, 'Old pictures', 'old');
    const url = 'https://old.example/a.png?x=1&y="2"';
    const oldCooked =
      '<p>see <img src="https://old.example/a.png?x=1&amp;y=&quot;2&quot;" alt="a" loading="lazy" ' +
      'referrerpolicy="no-referrer"> and <a href="https://old.example/">a link</a></p>\n';
    await t.db
      .updateTable('posts')
      .set({ cooked: oldCooked })
      .where('id', '=', thread.posts[0]?.id as number)
      .execute();
    await recookImages(t.db as never);
    const once = await t.db
      .selectFrom('posts')
      .select('cooked')
      .where('id', '=', thread.posts[0]?.id as number)
      .executeTakeFirstOrThrow();
    expect(once.cooked).toBe(
      `<p>see <img src="${imagePath(url)}" alt="a" loading="lazy" referrerpolicy="no-referrer"> and ` +
        '<a href="https://old.example/">a link</a></p>\n',
    );
    expect(
      await t.db.selectFrom('external_images').select('url').where('url_hash', '=', imageHash(url)).executeTakeFirst(),
    ).toEqual({
      url,
    });
    await recookImages(t.db as never);
    const twice = await t.db
      .selectFrom('posts')
      .select('cooked')
      .where('id', '=', thread.posts[0]?.id as number)
      .executeTakeFirstOrThrow();
    expect(twice.cooked).toBe(once.cooked);
  });
});
