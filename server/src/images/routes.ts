import { ErrorCodes } from '@fanlab/shared';
import { Type } from 'typebox';
import type { Db } from '../db/connect';
import type { App } from '../http/app-type';
import { AppError, errorResponses, notFound } from '../http/errors';
import { ImageCache } from './cache';
import type { ImageFetchOptions } from './fetch';

const HashParams = Type.Object({
  hash: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', description: 'sha256 of the image URL, base64url' }),
});

/** Browsers may keep an image this long; they revalidate with its ETag afterwards. */
const MAX_AGE_SECONDS = 30 * 86_400;

export function imageRoutes(app: App, db: Db, fetchOptions: ImageFetchOptions = {}) {
  const cache = new ImageCache(db, fetchOptions);
  app.get(
    '/api/images/:hash',
    {
      schema: {
        tags: ['forum'],
        summary: 'A remote image shown in a post, fetched and cached by Fanlab',
        description:
          'Serves only images whose URL a rendered post, preview or official response contains. ' +
          'The first request fetches the image (https, public addresses only, 5 MiB at most, png, ' +
          'jpeg, gif, webp or avif); later ones come from the cache. 404 `not_found` for an ' +
          'unknown image, 502 `image_unavailable` when the remote image cannot be fetched or is refused ' +
          '(tried again after an hour). 200 answers carry the image bytes with its type, an ETag ' +
          '(304 to a matching If-None-Match) and `Cache-Control: public, max-age=2592000`.',
        params: HashParams,
        response: {
          200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'The image (its own type)' }),
          304: Type.Null({ description: 'Not modified: If-None-Match matched the ETag' }),
          ...errorResponses(404, 502),
        },
      },
    },
    async (request, reply) => {
      const image = await cache.get(request.params.hash);
      if (image.kind === 'unknown') throw notFound('The image');
      if (image.kind === 'failed') {
        throw new AppError(502, ErrorCodes.imageUnavailable, 'The image cannot be fetched from its host.');
      }
      reply.headers({
        'content-security-policy': "default-src 'none'; sandbox",
        'x-content-type-options': 'nosniff',
        'content-disposition': 'inline',
        'cache-control': `public, max-age=${MAX_AGE_SECONDS}`,
        etag: image.etag,
      });
      if (request.headers['if-none-match'] === image.etag) return reply.code(304).send(null);
      return reply.type(image.contentType).send(image.bytes);
    },
  );
}
