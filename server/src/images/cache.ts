import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/connect';
import { fetchImage, type ImageFetchOptions } from './fetch';
import { imageHash } from './urls';

/**
 * Remote images of posts, served by Fanlab so that readers never talk to the remote host.
 * Only URLs recorded when a post (or an official idea response, or a preview) was rendered are
 * ever fetched: the table is the allow-list, so this is no open proxy. Bytes live in
 * PostgreSQL, shared by every replica.
 */

/** A failed fetch is not tried again for this long (a dead link is not refetched on every view). */
export const FAILURE_RETRY_SECONDS = 3600;
/** Cached bytes not served for this many days are dropped (fetched again if ever asked for). */
export const EVICT_AFTER_DAYS = 30;
/** last_used_at is written at most once a day per image, not on every view. */
const TOUCH_EVERY_SECONDS = 86_400;

/** Records the image URLs of a rendered text (idempotent; known ones are marked used). */
export async function recordImages(db: Db, urls: string[]): Promise<void> {
  const unique = [...new Set(urls)];
  if (unique.length === 0) return;
  await db
    .insertInto('external_images')
    .values(unique.map((url) => ({ url_hash: imageHash(url), url })))
    .onConflict((oc) => oc.column('url_hash').doUpdateSet({ last_used_at: sql<Date>`now()` }))
    .execute();
}

export type CachedImage =
  | { kind: 'ok'; contentType: string; bytes: Buffer; etag: string }
  | { kind: 'unknown' }
  | { kind: 'failed'; error: string };

export class ImageCache {
  /** Fetches under way in this process, by hash: concurrent first requests fetch once. */
  private readonly inFlight = new Map<string, Promise<CachedImage>>();

  constructor(
    private readonly db: Db,
    private readonly fetchOptions: ImageFetchOptions = {},
  ) {}

  async get(hash: string): Promise<CachedImage> {
    const row = await this.db
      .selectFrom('external_images')
      .select([
        'url',
        'status',
        'content_type',
        'bytes',
        'etag',
        'error',
        sql<boolean>`fetched_at > now() - make_interval(secs => ${FAILURE_RETRY_SECONDS})`.as('recent'),
        sql<boolean>`last_used_at < now() - make_interval(secs => ${TOUCH_EVERY_SECONDS})`.as('stale_use'),
      ])
      .where('url_hash', '=', hash)
      .executeTakeFirst();
    if (!row) return { kind: 'unknown' };
    if (row.stale_use) {
      await this.db
        .updateTable('external_images')
        .set({ last_used_at: sql<Date>`now()` })
        .where('url_hash', '=', hash)
        .execute();
    }
    if (row.status === 'ok' && row.bytes && row.content_type && row.etag) {
      return { kind: 'ok', contentType: row.content_type, bytes: row.bytes, etag: row.etag };
    }
    if (row.status === 'failed' && row.recent) return { kind: 'failed', error: row.error ?? 'failed' };
    let pending = this.inFlight.get(hash);
    if (!pending) {
      pending = this.fetchAndStore(hash, row.url).finally(() => this.inFlight.delete(hash));
      this.inFlight.set(hash, pending);
    }
    return pending;
  }

  private async fetchAndStore(hash: string, url: string): Promise<CachedImage> {
    const fetched = await fetchImage(url, this.fetchOptions);
    if (!fetched.ok) {
      await this.db
        .updateTable('external_images')
        .set({
          status: 'failed',
          error: fetched.error.slice(0, 500),
          bytes: null,
          content_type: null,
          etag: null,
          fetched_at: sql<Date>`now()`,
        })
        .where('url_hash', '=', hash)
        .execute();
      return { kind: 'failed', error: fetched.error };
    }
    const etag = `"${createHash('sha256').update(fetched.bytes).digest('base64url')}"`;
    await this.db
      .updateTable('external_images')
      .set({
        status: 'ok',
        error: null,
        bytes: fetched.bytes,
        content_type: fetched.contentType,
        etag,
        fetched_at: sql<Date>`now()`,
      })
      .where('url_hash', '=', hash)
      .execute();
    return { kind: 'ok', contentType: fetched.contentType, bytes: fetched.bytes, etag };
  }
}

/** Drops cached bytes not served for EVICT_AFTER_DAYS (run periodically); the URLs stay recorded. */
export async function evictUnusedImages(db: Db): Promise<number> {
  const result = await db
    .updateTable('external_images')
    .set({ status: 'pending', bytes: null, content_type: null, etag: null, fetched_at: null, error: null })
    .where('status', '=', 'ok')
    .where('last_used_at', '<', sql<Date>`now() - make_interval(days => ${EVICT_AFTER_DAYS})`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
