import type { SearchResult, ThreadKind } from '@fanlab/shared';

/** Match markers: ts_headline puts them around matches; snippetHtml turns them into <mark>. */
export const START = '\u0001';
export const STOP = '\u0002';

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Escapes a snippet and turns the match markers into <mark>. */
export function snippetHtml(text: string): string {
  return escapeHtml(text.replace(/\s+/g, ' ').trim()).replaceAll(START, '<mark>').replaceAll(STOP, '</mark>');
}

function substringSnippet(raw: string, q: string): string {
  const at = raw.toLowerCase().indexOf(q.toLowerCase());
  if (at < 0) return raw.slice(0, 160);
  const from = Math.max(0, at - 60);
  return `${from > 0 ? '…' : ''}${raw.slice(from, at)}${START}${raw.slice(at, at + q.length)}${STOP}${raw.slice(at + q.length, at + q.length + 100)}`;
}

/** A hit as the results list shows it; `substringOf` is the query when it was matched by substring. */
export function toSearchResult(
  r: {
    thread_id: number;
    title: string;
    post_number: number;
    category_id: number;
    kind: ThreadKind;
    author_id: number;
    username: string;
    created_at: Date;
    raw: string;
    headline: string;
  },
  substringOf: string | null,
): SearchResult {
  return {
    threadId: r.thread_id,
    threadTitle: r.title,
    postNumber: r.post_number,
    categoryId: r.category_id,
    kind: r.kind,
    author: { id: r.author_id, username: r.username },
    createdAt: r.created_at.toISOString(),
    snippet: snippetHtml(substringOf !== null ? substringSnippet(r.raw, substringOf) : r.headline),
  };
}
