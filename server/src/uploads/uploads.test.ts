// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { UPLOADS_PER_DAY } from '@fanlab/shared';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startTestApp, type TestApp } from '../../test/app';
import { makeCategory, makeUser } from '../../test/factories';
import { startFakeS3 } from '../../test/s3';
import { S3UploadStore } from './store';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const solid = (width: number, height: number, background = '#3366cc') =>
  sharp({ create: { width, height, channels: 3, background } });
const png = (width = 64, height = 48, background?: string) => solid(width, height, background).png().toBuffer();

/**
 * A GIF of `frames` frames on a `width` × `height` screen, each frame one pixel (written by hand:
 * an encoder would take seconds to make one this large): tiny on the wire, huge once decoded.
 */
function longAnimation(width: number, height: number, frames: number): Buffer {
  const screen = Buffer.alloc(7);
  screen.writeUInt16LE(width, 0);
  screen.writeUInt16LE(height, 2);
  screen[4] = 0x80; // a global colour table of two colours
  const parts = [Buffer.from('GIF89a', 'latin1'), screen, Buffer.from([0, 0, 0, 255, 255, 255])];
  parts.push(Buffer.from([0x21, 0xff, 0x0b, ...Buffer.from('NETSCAPE2.0', 'latin1'), 0x03, 0x01, 0x00, 0x00, 0x00]));
  for (let i = 0; i < frames; i++) {
    parts.push(Buffer.from([0x21, 0xf9, 0x04, 0x00, 0x0a, 0x00, 0x00, 0x00])); // 0.1 s a frame
    parts.push(Buffer.from([0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0]), Buffer.from([0x02, 0x02, 0x44, 0x01, 0x00]));
  }
  parts.push(Buffer.from([0x3b]));
  return Buffer.concat(parts);
}

describe('image uploads', () => {
  it('re-encodes an image as WebP and serves it under its hash with safe, long-lived headers', async () => {
    const { client } = await makeUser(t);
    const res = await client.upload(await png(64, 48), 'image/png');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ width: 64, height: 48, url: `/api/uploads/${res.body.key}` });
    expect(res.body.key).toMatch(/^[0-9a-f]{64}\.webp$/);
    expect(res.body.remainingToday).toBe(UPLOADS_PER_DAY[1] - 1);

    const served = await t.app.inject({ method: 'GET', url: res.body.url });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/webp');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect(served.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const meta = await sharp(served.rawPayload).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 64, 48]);
    expect(served.rawPayload.length).toBe(res.body.bytes);
    const again = await t.app.inject({
      method: 'GET',
      url: res.body.url,
      headers: { 'if-none-match': String(served.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    // anyone may see it (posts are public); an unknown one is a 404, a malformed name a 400
    expect((await new Client(t.app).get(`/api/uploads/${'0'.repeat(64)}.webp`)).status).toBe(404);
    expect((await new Client(t.app).get('/api/uploads/..%2F..%2Fetc%2Fpasswd')).status).toBe(400);
  });

  it('turns photos upright, shrinks them to 2048 px and keeps no EXIF or GPS', async () => {
    const { client } = await makeUser(t);
    const photo = await solid(4000, 3000, '#aa5522')
      .jpeg()
      .withMetadata({ orientation: 6 })
      .withExif({
        IFD0: { Copyright: 'secret owner', Artist: 'Ana' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '52/1 31/1 0/1' },
      })
      .toBuffer();
    expect((await sharp(photo).metadata()).exif?.toString('latin1')).toContain('secret owner');
    const res = await client.upload(photo, 'image/jpeg');
    expect(res.status).toBe(201);
    // orientation 6: the 4000 × 3000 picture stands 3000 wide, 4000 high; then fits 2048
    expect([res.body.width, res.body.height]).toEqual([1536, 2048]);
    const stored = (await t.app.inject({ method: 'GET', url: res.body.url })).rawPayload;
    const meta = await sharp(stored).metadata();
    expect([meta.width, meta.height, meta.exif, meta.xmp, meta.orientation]).toEqual([
      1536,
      2048,
      undefined,
      undefined,
      undefined,
    ]);
    expect(stored.toString('latin1')).not.toContain('secret owner');
  });

  it('keeps an animated GIF animated, and stores the same image once', async () => {
    const { client } = await makeUser(t);
    const frames = await sharp({ create: { width: 20, height: 40, channels: 4, background: '#00ff00' } })
      .gif()
      .toBuffer();
    const animated = await sharp([frames, await solid(20, 40, '#ff0000').gif().toBuffer()], {
      join: { animated: true },
    })
      .gif()
      .toBuffer();
    const res = await client.upload(animated, 'image/gif');
    expect(res.status).toBe(201);
    expect([res.body.width, res.body.height]).toEqual([20, 40]);
    const meta = await sharp((await t.app.inject({ method: 'GET', url: res.body.url })).rawPayload, {
      animated: true,
    }).metadata();
    expect(meta.pages).toBe(2);

    const image = await png(30, 30, '#123456');
    const [first, second] = [await client.upload(image, 'image/png'), await client.upload(image, 'image/png')];
    expect(second.body.key).toBe(first.body.key);
    const folder = path.join(t.uploadsDir, first.body.key.slice(0, 2));
    expect((await readdir(folder)).filter((name) => name === first.body.key)).toHaveLength(1);
    expect(await readdir(folder)).toEqual([first.body.key]); // no temporary file left
  });

  it('refuses what is not an image, too large or too many pixels, with clear errors and nothing stored', async () => {
    const { client, user } = await makeUser(t);
    const cases: [Buffer | object, string, number, string][] = [
      [{ image: 'no' }, 'application/json', 415, 'unsupported_image'],
      [Buffer.from('plain words, no picture'), 'text/plain', 415, 'unsupported_image'],
      [Buffer.from('GIF89a but not really'), 'image/gif', 415, 'unsupported_image'],
      [await solid(20, 20).tiff().toBuffer(), 'image/tiff', 415, 'unsupported_image'],
      [Buffer.alloc(11 * 1024 * 1024, 1), 'image/png', 413, 'payload_too_large'],
      // 60 megapixels of one colour: a few KB of PNG, a gigabyte once decoded
      [await solid(10_000, 6_000).png({ compressionLevel: 9 }).toBuffer(), 'image/png', 413, 'payload_too_large'],
    ];
    for (const [body, type, status, code] of cases) {
      const res = Buffer.isBuffer(body) ? await client.upload(body, type) : await client.post('/api/uploads', body);
      expect([res.status, res.body?.error?.code], type).toEqual([status, code]);
      expect(res.body.error.message.length).toBeGreaterThan(10);
    }
    // an animation whose frames add up past the limit: 60 frames on a 1000 × 1000 screen, 1.4 KB
    const tooLong = await client.upload(longAnimation(1000, 1000, 60), 'image/gif');
    expect([tooLong.status, tooLong.body.error.code]).toEqual([413, 'payload_too_large']);
    const empty = await client.upload(Buffer.alloc(0), 'image/png');
    expect(empty.status).toBe(415);
    const rows = await t.db.selectFrom('uploads').select('id').where('user_id', '=', user.id).execute();
    expect(rows).toEqual([]);
  });

  it('lets only members who may post upload: anonymous 401, silenced 403, new members where the site allows', async () => {
    const image = await png();
    const anonymous = await new Client(t.app).upload(image, 'image/png');
    expect([anonymous.status, anonymous.body.error.code]).toEqual([401, 'unauthenticated']);
    const silenced = await makeUser(t, { silencedUntil: new Date(Date.now() + 3_600_000) });
    expect((await silenced.client.upload(image, 'image/png')).body.error.code).toBe('silenced');
    const newcomer = await makeUser(t, { trustLevel: 0 });
    const refused = await newcomer.client.upload(image, 'image/png');
    expect([refused.status, refused.body.error.code]).toEqual([403, 'new_member_limit']);
    const admin = await makeUser(t, { role: 'admin' });
    expect((await admin.client.patch('/api/admin/settings', { newMemberImages: true })).status).toBe(200);
    const allowed = await newcomer.client.upload(image, 'image/png');
    expect(allowed.status).toBe(201);
    expect(allowed.body.remainingToday).toBe(UPLOADS_PER_DAY[0] - 1);
    await admin.client.patch('/api/admin/settings', { newMemberImages: false });
  });

  it('holds a burst of 40 uploads at once to the day’s quota exactly', async () => {
    const { client, user } = await makeUser(t, { trustLevel: 1 });
    await t.db.updateTable('users').set({ trust_level: 0 }).where('id', '=', user.id).execute();
    const admin = await makeUser(t, { role: 'admin' });
    await admin.client.patch('/api/admin/settings', { newMemberImages: true });
    const images = await Promise.all(Array.from({ length: 40 }, (_, i) => png(16 + i, 16)));
    const answers = await Promise.all(images.map((image) => client.upload(image, 'image/png')));
    await admin.client.patch('/api/admin/settings', { newMemberImages: false });
    const limit = UPLOADS_PER_DAY[0];
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(limit);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40 - limit);
    const refused = answers.find((a) => a.status === 429);
    expect(refused?.body.error).toMatchObject({ code: 'upload_quota', details: { limit } });
    expect(Number(refused?.headers['retry-after'])).toBeGreaterThan(86_000);
    const rows = await t.db.selectFrom('uploads').select('id').where('user_id', '=', user.id).execute();
    expect(rows).toHaveLength(limit);
  });

  it('shows uploaded images in posts as they are served, and counts them as images for new members', async () => {
    const { client } = await makeUser(t);
    const category = await makeCategory(t);
    const upload = (await client.upload(await png(), 'image/png')).body;
    const thread = await client.post('/api/threads', {
      categoryId: category.id,
      title: 'A screenshot of the bug',
      body: `Look: ![the crash](${upload.url}) and ![not ours](/api/uploads/../admin)`,
    });
    expect(thread.status).toBe(201);
    const cooked = thread.body.posts[0].cooked as string;
    expect(cooked).toContain(`<img src="${upload.url}" alt="the crash" loading="lazy">`);
    expect(cooked).not.toContain('/api/uploads/../admin');
    const newcomer = await makeUser(t, { trustLevel: 0 });
    const refused = await newcomer.client.post('/api/threads', {
      categoryId: category.id,
      title: 'My first post with a picture',
      body: `![mine](${upload.url})`,
    });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'new_member_limit']);
  });

  it('takes an upload over a real connection, as a browser sends it', async () => {
    const served = await startTestApp({ database: t.database, listen: true });
    try {
      const { client } = await makeUser(served);
      const image = await png(33, 22);
      const res = await fetch(`${served.baseUrl}/api/uploads`, {
        method: 'POST',
        headers: { 'content-type': 'image/png', cookie: client.cookie ?? '', origin: served.baseUrl },
        body: image,
      });
      const body = (await res.json()) as any;
      expect([res.status, body.width, body.height]).toEqual([201, 33, 22]);
      const anonymous = await fetch(`${served.baseUrl}/api/uploads`, {
        method: 'POST',
        headers: { 'content-type': 'image/png', origin: served.baseUrl },
        body: image,
      });
      expect(anonymous.status).toBe(401);
    } finally {
      await served.close();
    }
  });

  it('keeps uploads in an S3-compatible bucket when one is configured', async () => {
    const s3 = await startFakeS3();
    const app = await startTestApp({ database: t.database, uploads: new S3UploadStore(s3.config) });
    try {
      const { client } = await makeUser(app);
      const res = await client.upload(await png(40, 40, '#aa00aa'), 'image/png');
      expect(res.status).toBe(201);
      expect(s3.objects.get(res.body.key)?.contentType).toBe('image/webp');
      const served = await app.app.inject({ method: 'GET', url: res.body.url });
      expect(served.statusCode).toBe(200);
      expect((await sharp(served.rawPayload).metadata()).width).toBe(40);
      expect(s3.requests.map((r) => r.method)).toEqual(['PUT', 'GET']);
      expect((await app.app.inject({ method: 'GET', url: `/api/uploads/${'a'.repeat(64)}.webp` })).statusCode).toBe(
        404,
      );
      // a store that refuses leaves no row behind
      const refusing = new S3UploadStore({ ...s3.config, accessKeyId: 'WRONG' });
      const broken = await startTestApp({ database: t.database, uploads: refusing });
      try {
        const member = await makeUser(broken);
        const failed = await member.client.upload(await png(41, 41), 'image/png');
        expect([failed.status, failed.body.error.code]).toEqual([503, 'unavailable']);
        const rows = await broken.db.selectFrom('uploads').select('id').where('user_id', '=', member.user.id).execute();
        expect(rows).toEqual([]);
      } finally {
        await broken.close();
      }
    } finally {
      await app.close();
      await s3.close();
    }
  });
});
