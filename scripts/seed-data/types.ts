// The shapes of the demo data in this folder, and what a reply's text may depend on while seeding.
import type { CategoryBody } from '@fanlab/shared';

export type Lang = 'en' | 'es' | 'pt';

export interface CategorySpec extends Omit<CategoryBody, 'parentId'> {
  parent?: string;
}

/** What a reply's text may depend on (known only while seeding). */
export interface Ctx {
  threadId: number;
  /** The thread's author. */
  op: string;
  /** First sentence of the first post, for quotes. */
  opLine: string;
  /** Who writes this post. */
  me: string;
  /** The post just before this one. */
  prev: { username: string; postNumber: number; line: string };
  pick<T>(items: readonly T[]): T;
  /** Like pick, but avoids what this thread has used already (empty strings excepted). */
  fresh(items: readonly Text[]): Text;
}

export type Text = string | ((c: Ctx) => string);

export interface ReplySpec {
  /** Author; a fan of the thread's language when unset. */
  by?: string;
  body: Text;
  replyTo?: number;
}

/** What kind of conversation a thread is: it decides what the composed replies say. */
export type Mood = 'problem' | 'question' | 'idea' | 'chat';

export interface ThreadSpec {
  cat: string;
  by: string;
  title: string;
  body: string;
  kind?: 'idea';
  daysAgo: number;
  replies?: ReplySpec[];
  /** Further replies: from `lines` (this thread's own) while they last, else composed for the mood. */
  more?: number;
  mood: Mood;
  lines?: Text[];
}

export interface Phrases {
  openers: Text[];
  sentences: Text[];
  closers: Text[];
  list?: string;
}
