import type { IdeaStatus, Release } from '@fanlab/shared';
import type { User } from 'lucia';
import type { ReleaseRow } from '../db/schema';
import { releasePolicy } from './policy';

export interface ReleaseListRow extends ReleaseRow {
  published_by_username: string | null;
  /** release_date as days since 1970-01-01 (the list's cursor). */
  day: number;
}

export interface ReleaseIdeaRow {
  id: number;
  title: string;
  status: IdeaStatus;
  vote_count: number;
}

export function toRelease(r: ReleaseListRow, ideas: ReleaseIdeaRow[], viewer: User | null): Release {
  return {
    id: r.id,
    version: r.version,
    channel: r.channel,
    date: r.release_date,
    state: r.state,
    notesRaw: r.notes_raw,
    notesCooked: r.notes_cooked,
    ideas: ideas.map((i) => ({ id: i.id, title: i.title, status: i.status, voteCount: i.vote_count })),
    publishedBy:
      r.published_by !== null && r.published_by_username !== null
        ? { id: r.published_by, username: r.published_by_username }
        : null,
    publishedAt: r.published_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    canEdit: releasePolicy.edit(viewer, r).ok,
    canDelete: releasePolicy.delete(viewer, r).ok,
    canPublish: releasePolicy.publish(viewer, r).ok,
  };
}

/** Text for XML: the five characters with meaning escaped, and characters XML 1.0 cannot hold dropped. */
export function xmlText(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 cannot carry them
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

const channelName = { beta: 'beta', stable: 'stable' } as const;

/** An entry's HTML: the notes, then the ideas it delivers (linked). */
function entryHtml(release: Release, base: string): string {
  const items = release.ideas
    .map((i) => `<li><a href="${xmlText(`${base}/t/${i.id}`)}">${xmlText(i.title)}</a> (${i.voteCount} votes)</li>`)
    .join('');
  return `${release.notesCooked}${items ? `<h2>Ideas in this release</h2><ul>${items}</ul>` : ''}`;
}

/**
 * The releases as an Atom 1.0 feed (RFC 4287): feed id, title, updated, links and author; an
 * entry per release with id, title, updated, published, link and its notes as escaped HTML.
 */
export function releasesAtom(releases: Release[], base: string): string {
  const updated = releases.reduce(
    (latest, r) => (r.updatedAt > latest ? r.updatedAt : latest),
    releases[0]?.updatedAt ?? new Date(0).toISOString(),
  );
  const entries = releases.map((r) => {
    const url = `${base}/releases/${r.id}`;
    return [
      '  <entry>',
      `    <id>${xmlText(url)}</id>`,
      `    <title>${xmlText(`${r.version} (${channelName[r.channel]})`)}</title>`,
      `    <updated>${r.updatedAt}</updated>`,
      r.publishedAt ? `    <published>${r.publishedAt}</published>` : '',
      `    <link rel="alternate" type="text/html" href="${xmlText(url)}"/>`,
      `    <category term="${r.channel}"/>`,
      `    <content type="html">${xmlText(entryHtml(r, base))}</content>`,
      '  </entry>',
    ]
      .filter(Boolean)
      .join('\n');
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${xmlText(`${base}/releases`)}</id>`,
    '  <title>Fanlab releases</title>',
    `  <updated>${updated}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${xmlText(`${base}/api/releases.atom`)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xmlText(`${base}/releases`)}"/>`,
    '  <author><name>Fanlab</name></author>',
    ...entries,
    '</feed>',
    '',
  ].join('\n');
}
