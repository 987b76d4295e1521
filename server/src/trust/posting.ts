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

/** What a text holds that the limits look at (a title has neither). */
type Media = Pick<Rendered, 'images' | 'uploads' | 'links'>;
const NO_MEDIA: Media = { images: [], uploads: [], links: [] };

/** Refuses what nobody but staff may write (blocked words), and what new members may not yet. */
function checkContent(poster: Poster, text: string, media: Media, settings: SiteSettings): void {
  const blocked = findWatchedWord(text, settings.watchedWordsBlock);
  if (blocked) {
    throw new AppError(422, ErrorCodes.watchedWord, `Posts here may not contain “${blocked}”.`, { word: blocked });
  }
  if (poster.trust_level !== 0) return;
  const lifts = 'when you reach trust level 1 (basic) by reading more';
  if ((media.images.length || media.uploads.length) && !settings.newMemberImages) {
    throw newMemberLimit('newMemberImages', `New members cannot post images yet; this lifts ${lifts}.`);
  }
  if (media.links.length > settings.newMemberMaxLinks) {
    throw newMemberLimit(
      'newMemberMaxLinks',
      `New members may put at most ${settings.newMemberMaxLinks} links in a post; this lifts ${lifts}.`,
      settings.newMemberMaxLinks,
    );
  }
}

/**
 * An edit (of a post, or a thread's title) by its author: the same words and limits as a new
 * post, and a word that would hold a new post for approval cannot be added by an edit either
 * (the edit is refused: a published post does not go back into the queue).
 */
export function checkEdit(editor: Poster, text: string, media: Media | null, rules: PostingRules | undefined): void {
  if (!rules?.check || isStaff(editor)) return;
  checkContent(editor, text, media ?? NO_MEDIA, rules.settings);
  const held = findWatchedWord(text, rules.settings.watchedWordsHold);
  if (held) {
    throw new AppError(
      422,
      ErrorCodes.watchedWord,
      `Posts with “${held}” wait for a moderator's approval: an edit cannot add it.`,
      { word: held, held: true },
    );
  }
}

/**
 * Refuses what the poster may not post (watched words for everyone but staff; links, images
 * and first-day counts for new members) and says which limit and when it lifts; returns why the
 * post must wait for approval instead, if it must. `text` is the body, with a new thread's title.
 * Called inside the posting transaction after the author's advisory lock, so counts cannot be
 * raced past. Posts waiting for approval count as posts here: a new member cannot queue more
 * than they could post.
 */
export async function checkPosting(
  tx: Tx,
  poster: Poster,
  text: string,
  rendered: Media,
  kind: 'thread' | 'reply',
  rules: PostingRules,
): Promise<HoldReason | null> {
  if (!rules.check || isStaff(poster)) return null;
  const { settings } = rules;
  checkContent(poster, text, rendered, settings);
  const isNew = poster.trust_level === 0;
  if (isNew) {
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

/**
 * A member's threads (first posts) or replies, published or waiting for approval, in one
 * statement (one snapshot: an approval committing meanwhile is counted once, never zero times).
 */
async function postsBy(tx: Tx, authorId: number, kind: 'thread' | 'reply'): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select (select count(*) from posts where author_id = ${authorId}
              and ${kind === 'thread' ? sql`post_number = 1` : sql`post_number > 1`})
         + (select count(*) from queued_posts where author_id = ${authorId} and kind = ${kind}
              and status = 'pending') as n`.execute(tx);
  return Number(rows[0]?.n ?? 0);
}
