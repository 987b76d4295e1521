import { ErrorCodes, type HoldReason, type SiteSettings } from '@fanlab/shared';
import { sql } from 'kysely';
import type { User } from 'lucia';
import { isStaff } from '../auth/policy';
import type { UserRow } from '../db/schema';
import type { Tx } from '../db/tx';
import type { Rendered } from '../forum/markdown';
import { AppError } from '../http/errors';

/** A new member's first day (their account's age), when the first-day limits apply. */
const FIRST_DAY_MS = 24 * 3_600_000;

/** Who is posting: the session's user and their level (read in the transaction). */
export type Poster = Pick<User, 'id' | 'role' | 'created_at'> & Pick<UserRow, 'trust_level'>;

/** The rules of posting that depend on who posts and what: trust level limits and watched words. */
export interface PostingRules {
  settings: SiteSettings;
  /** false for the seed, operators and approving a held post (it was checked when written). */
  check: boolean;
}

const wordPattern = (word: string) =>
  word
    .trim()
    .normalize('NFKC')
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[\\p{L}\\p{N}_]*');

const patterns = new Map<string, RegExp | null>();
/** The first of `words` in `text`, whole words, ignoring case; `*` stands for any letters. */
export function findWatchedWord(text: string, words: readonly string[]): string | null {
  if (!words.length) return null;
  const key = JSON.stringify(words);
  let re = patterns.get(key);
  if (re === undefined) {
    const alternatives = words.map(wordPattern).filter((p) => p.length > 0);
    re = alternatives.length
      ? new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}_])`, 'iu')
      : null;
    if (patterns.size > 20) patterns.clear();
    patterns.set(key, re);
  }
  const match = re?.exec(text.normalize('NFKC'));
  return match ? match[0] : null;
}

const newMemberLimit = (limit: string, message: string, max?: number) =>
  new AppError(403, ErrorCodes.newMemberLimit, message, {
    limit,
    liftsAt: null,
    ...(max === undefined ? {} : { max }),
  });

/**
 * Refuses what the poster may not post (watched words for everyone but staff; links, images
 * and first-day counts for new members) and says which limit and when it lifts; returns why the
 * post must wait for approval instead, if it must. Called inside the posting transaction after
 * the author's advisory lock, so counts cannot be raced past. Posts waiting for approval count
 * as posts here: a new member cannot queue more than they could post.
 */
export async function checkPosting(
  tx: Tx,
  poster: Poster,
  text: string,
  rendered: Rendered,
  kind: 'thread' | 'reply',
  rules: PostingRules,
): Promise<HoldReason | null> {
  if (!rules.check || isStaff(poster)) return null;
  const { settings } = rules;
  const blocked = findWatchedWord(text, settings.watchedWordsBlock);
  if (blocked) {
    throw new AppError(422, ErrorCodes.watchedWord, `Posts here may not contain “${blocked}”.`, { word: blocked });
  }
  const isNew = poster.trust_level === 0;
  if (isNew) {
    const lifts = 'when you reach trust level 1 (basic) by reading more';
    if (rendered.images.length && !settings.newMemberImages) {
      throw newMemberLimit('newMemberImages', `New members cannot post images yet; this lifts ${lifts}.`);
    }
    if (rendered.links.length > settings.newMemberMaxLinks) {
      throw newMemberLimit(
        'newMemberMaxLinks',
        `New members may put at most ${settings.newMemberMaxLinks} links in a post; this lifts ${lifts}.`,
        settings.newMemberMaxLinks,
      );
    }
    const endsAt = poster.created_at.getTime() + FIRST_DAY_MS;
    if (endsAt > Date.now()) {
      const cap = kind === 'thread' ? settings.newMemberThreadsFirstDay : settings.newMemberRepliesFirstDay;
      const posted = await postsBy(tx, poster.id, kind);
      if (posted >= cap) {
        const liftsAt = new Date(endsAt).toISOString();
        throw new AppError(
          429,
          ErrorCodes.newMemberLimit,
          `New members may post ${cap} ${kind === 'thread' ? 'threads' : 'replies'} on their first day; this lifts at ${liftsAt}.`,
          { limit: kind === 'thread' ? 'newMemberThreadsFirstDay' : 'newMemberRepliesFirstDay', liftsAt, max: cap },
          { 'retry-after': String(Math.ceil((endsAt - Date.now()) / 1000)) },
        );
      }
    }
  }
  if (findWatchedWord(text, settings.watchedWordsHold)) return 'watched_word';
  if (isNew && settings.newMemberHoldLinks && rendered.links.length) return 'links';
  if (isNew && settings.newMemberHoldFirstPosts > 0) {
    // until that many of their posts were published (approved ones count; waiting ones do not)
    const published = await tx
      .selectFrom('posts')
      .select('id')
      .where('author_id', '=', poster.id)
      .limit(settings.newMemberHoldFirstPosts)
      .execute();
    if (published.length < settings.newMemberHoldFirstPosts) return 'new_member';
  }
  return null;
}

/** A member's threads (first posts) or replies, published or waiting for approval. */
async function postsBy(tx: Tx, authorId: number, kind: 'thread' | 'reply'): Promise<number> {
  const published = await tx
    .selectFrom('posts')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('author_id', '=', authorId)
    .where('post_number', kind === 'thread' ? '=' : '>', 1)
    .executeTakeFirstOrThrow();
  const waiting = await tx
    .selectFrom('queued_posts')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('author_id', '=', authorId)
    .where('kind', '=', kind)
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return published.n + waiting.n;
}
