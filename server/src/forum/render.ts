import type { Db } from '../db/connect';
import { recordImages } from '../images/cache';
import { mentionCandidates, type Rendered, renderMarkdown } from './markdown';

/**
 * Drops control characters (PostgreSQL refuses NUL; the others only hide text), keeping tabs
 * and line breaks. Applied to every title and body before it is stored.
 */
export function cleanText(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '');
}

/**
 * Renders a post's Markdown, resolving `@mentions` against existing users (one query at most),
 * and records the remote images it shows so that /api/images serves them (idempotent).
 */
export async function renderPost(db: Db, raw: string): Promise<Rendered> {
  const candidates = mentionCandidates(raw);
  const users = new Map<string, string>();
  if (candidates.length) {
    const rows = await db
      .selectFrom('users')
      .select('username')
      .where((eb) => eb(eb.fn('lower', ['username']), 'in', candidates))
      .execute();
    for (const r of rows) users.set(r.username.toLowerCase(), r.username);
  }
  const rendered = renderMarkdown(raw, users);
  await recordImages(db, rendered.images);
  return rendered;
}
