import type { Post } from '@fanlab/shared';

/** The visible text of server-rendered HTML (parsed inertly: nothing loads or runs). */
export function textOfHtml(html: string): string {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  return (doc.body.textContent ?? '').trim();
}

/** `[quote="name, post:N, thread:ID"]` … `[/quote]`, followed by an empty line to write after. */
export function quoteOf(post: Pick<Post, 'author' | 'postNumber' | 'threadId' | 'raw' | 'cooked'>): string {
  const text = (post.raw ?? textOfHtml(post.cooked)).trim();
  return `[quote="${post.author.username}, post:${post.postNumber}, thread:${post.threadId}"]\n${text}\n[/quote]\n\n`;
}

/** Puts `insert` at the caret of a draft (or at its end), on a line of its own. */
export function insertAt(draft: string, insert: string, caret: number | null): string {
  const at = caret === null || caret < 0 || caret > draft.length ? draft.length : caret;
  const before = draft.slice(0, at);
  const after = draft.slice(at);
  const separator = before === '' || before.endsWith('\n\n') ? '' : before.endsWith('\n') ? '\n' : '\n\n';
  return `${before}${separator}${insert}${after}`;
}
