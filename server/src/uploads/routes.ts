import { ErrorCodes, Upload, UploadKeyParams } from '@fanlab/shared';
import type { User } from 'lucia';
import { Type } from 'typebox';
import type { Db } from '../db/connect';
import { withTx } from '../db/tx';
import type { App } from '../http/app-type';
import { AppError, enforce, errorResponses, notFound } from '../http/errors';
import type { SiteSettingsStore } from '../settings/store';
import { completeUpload, releaseUpload, reserveUpload } from './actions';
import { uploadPolicy } from './policy';
import { type Reencoded, reencodeImage } from './process';
import type { UploadStore } from './store';

/** Uploads never change (their name is their hash): browsers and proxies may keep them a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

const notAnImage = () =>
  new AppError(
    415,
    ErrorCodes.unsupportedImage,
    "Send the image's bytes as the request body, with its type (image/png, image/jpeg, image/webp or image/gif).",
  );

/**
 * Image uploads (docs/uploads.md). The body is the image itself (what `fetch(url, { body: file })`
 * sends), read only once the member is known to be allowed, up to `maxBytes`.
 */
export function uploadRoutes(app: App, db: Db, store: UploadStore, settings: SiteSettingsStore, maxBytes: number) {
  const tags = ['uploads'];
  /** The uploader, or the policy's refusal (new members: the setting that holds them back). */
  const allowed = (user: User | null): User => {
    const decision = uploadPolicy.upload(user, settings.current);
    if (!decision.ok && decision.reason === ErrorCodes.newMemberLimit) {
      throw new AppError(
        403,
        ErrorCodes.newMemberLimit,
        'New members cannot post images yet; this lifts when you reach trust level 1 (basic) by reading more.',
        { limit: 'newMemberImages' },
      );
    }
    enforce(decision);
    if (!user) throw new AppError(401, ErrorCodes.unauthenticated, 'Sign in first.');
    return user;
  };
  app.register(async (scope) => {
    // any other type as bytes too: the route answers what it is not with 415, in its own words
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBytes }, (_request, body, done) =>
      done(null, body),
    );
    scope.post(
      '/api/uploads',
      {
        bodyLimit: maxBytes,
        schema: {
          tags,
          summary: 'Upload an image (the body is the image: png, jpeg, webp or gif)',
          description:
            'Fanlab re-encodes it as WebP (upright, at most 2048 px on its longer side, animation kept, ' +
            'EXIF, GPS and every other metadata left out) and answers where it is; put ' +
            '`![description](url)` in a post to show it. Signed-in members who may post; new members ' +
            'only where the site lets them post images. 413 `payload_too_large` over the size limit ' +
            '(UPLOAD_MAX_MB, 10 MB by default) or 50 megapixels, 415 `unsupported_image` for anything ' +
            'else, 429 `upload_quota` past the uploads of the last 24 hours your trust level allows ' +
            '(`details {limit, retryAfter}`).',
          response: { 201: Upload, ...errorResponses(400, 401, 403, 413, 415, 429, 503) },
        },
        // refused before the body is read: nobody streams 10 MB to be told to sign in
        preParsing: async (request, _reply, payload) => {
          allowed(request.user);
          return payload;
        },
      },
      async (request, reply) => {
        const user = allowed(request.user);
        const body = request.body as unknown;
        if (!Buffer.isBuffer(body) || body.length === 0) throw notAnImage();
        const { id, remainingToday } = await withTx(db, (tx) => reserveUpload(tx, user));
        let image: Reencoded;
        try {
          image = await reencodeImage(body, user.id);
          const stored = image;
          await withTx(db, (tx) => completeUpload(tx, id, stored, store));
        } catch (err) {
          await releaseUpload(db, id);
          if (err instanceof AppError) throw err;
          // the store (a folder, a bucket) failed: nothing of it is kept, and it may work again
          request.log.error({ err }, 'upload not stored');
          throw new AppError(
            503,
            ErrorCodes.unavailable,
            'The image could not be stored right now. Try again shortly.',
            undefined,
            {
              'retry-after': '5',
            },
          );
        }
        return reply.code(201).send({
          key: image.key,
          url: `/api/uploads/${image.key}`,
          width: image.width,
          height: image.height,
          bytes: image.bytes.length,
          remainingToday,
        });
      },
    );
  });

  app.get(
    '/api/uploads/:key',
    {
      schema: {
        tags,
        summary: 'An uploaded image',
        description:
          'The WebP Fanlab wrote, with `Cache-Control: public, max-age=31536000, immutable`, an ETag ' +
          '(304 to a matching If-None-Match), `X-Content-Type-Options: nosniff` and a sandboxing CSP.',
        params: UploadKeyParams,
        response: {
          200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'The image (image/webp)' }),
          304: Type.Null({ description: 'Not modified: If-None-Match matched the ETag' }),
          ...errorResponses(400, 404),
        },
      },
    },
    async (request, reply) => {
      const { key } = request.params;
      const etag = `"${key.slice(0, 64)}"`;
      reply.headers({
        'content-security-policy': "default-src 'none'; sandbox",
        'x-content-type-options': 'nosniff',
        'content-disposition': 'inline',
        'cache-control': IMMUTABLE,
        etag,
      });
      if (request.headers['if-none-match'] === etag) return reply.code(304).send(null);
      const bytes = await store.get(key);
      if (!bytes) {
        reply.header('cache-control', 'no-store');
        throw notFound('The image');
      }
      return reply.type('image/webp').send(bytes);
    },
  );
}
