import type { SearchQuery } from '@fanlab/shared';
import { ErrorCodes } from '@fanlab/shared';
import { sql } from 'kysely';
import type { Db } from '../db/connect';
import { listedThread } from '../forum/queries';
import { AppError } from '../http/errors';
import { START, STOP, toSearchResult } from './present';

export const SEARCH_PAGE = 20;
/** Scripts without spaces between words (CJK) or not folded by our configuration: search by substring. */
const NEEDS_SUBSTRING = /[\u0900-\u097F\u0E00-\u0E7F\u3040-\u30FF\u3400-\u9FFF\uAC00-\uD7AF\u0600-\u06FF\u0400-\u04FF]/;

/**
 * Full-text search over thread titles and post bodies, ranked (title hits count double), with
 * highlighted snippets. Latin-script text matches without accents; other scripts fall back to
 * substring matching (trigram index). Deleted and unlisted content never shows.
 */
export async function search(db: Db, query: SearchQuery) {
  const page = query.page ?? 1;
  const q = query.q.trim();
  if (q.length < 2) throw new AppError(400, ErrorCodes.validationFailed, 'Search for at least 2 characters.');
  const substring = NEEDS_SUBSTRING.test(q);

  let base = db
    .selectFrom('posts as p')
    .innerJoin('threads as t', 't.id', 'p.thread_id')
    .where('p.deleted_at', 'is', null)
    .where('p.hidden_at', 'is', null)
    .where(listedThread('t'));
  if (query.category) {
    const slug = query.category.toLowerCase();
    base = base.where((eb) =>
      eb(
        't.category_id',
        'in',
        eb
          .selectFrom('categories as c')
          .select('c.id')
          .where((w) =>
            w.or([
              w('c.slug', '=', slug),
              w('c.parent_id', 'in', w.selectFrom('categories as pc').select('pc.id').where('pc.slug', '=', slug)),
            ]),
          ),
      ),
    );
  }
  if (query.author) {
    const author = query.author.toLowerCase();
    base = base.where((eb) =>
      eb('p.author_id', 'in', eb.selectFrom('users as u').select('u.id').where(sql`lower(u.username)`, '=', author)),
    );
  }
  if (query.kind) base = base.where('t.kind', '=', query.kind);
  if (query.after) base = base.where('p.created_at', '>=', new Date(`${query.after}T00:00:00Z`));
  if (query.before) base = base.where('p.created_at', '<', new Date(`${query.before}T00:00:00Z`));

  const tsq = sql`websearch_to_tsquery('fanlab', ${q})`;
  const ranked = substring
    ? base
        .where('p.raw', 'ilike', `%${q.replace(/[\\%_]/g, '\\$&')}%`)
        .select(['p.id', sql<number>`0`.as('rank')])
        .orderBy('p.created_at', 'desc')
    : base
        .where((eb) =>
          eb.or([
            sql<boolean>`p.body_vector @@ ${tsq}`,
            eb.and([eb('p.post_number', '=', 1), sql<boolean>`t.title_vector @@ ${tsq}`]),
          ]),
        )
        .select([
          'p.id',
          sql<number>`ts_rank(p.body_vector, ${tsq})
            + case when p.post_number = 1 then 2 * ts_rank(t.title_vector, ${tsq}) else 0 end`.as('rank'),
        ])
        .orderBy('rank', 'desc')
        .orderBy('p.id', 'desc');

  // Rank and cut first; snippets (the costly part) only for the page shown.
  const rows = await db
    .selectFrom(
      ranked
        .limit(SEARCH_PAGE + 1)
        .offset((page - 1) * SEARCH_PAGE)
        .as('hit'),
    )
    .innerJoin('posts as p', 'p.id', 'hit.id')
    .innerJoin('threads as t', 't.id', 'p.thread_id')
    .innerJoin('users as u', 'u.id', 'p.author_id')
    .select([
      'p.thread_id',
      't.title',
      'p.post_number',
      't.category_id',
      't.kind',
      'p.author_id',
      'u.username',
      'p.created_at',
      'p.raw',
      'hit.rank',
      substring
        ? sql<string>`''`.as('headline')
        : sql<string>`ts_headline('fanlab', p.raw, ${tsq},
            ${`StartSel=${START}, StopSel=${STOP}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`})`.as(
            'headline',
          ),
    ])
    .orderBy('hit.rank', 'desc')
    .orderBy('p.id', 'desc')
    .execute();

  const hasMore = rows.length > SEARCH_PAGE;
  return { hasMore, results: rows.slice(0, SEARCH_PAGE).map((r) => toSearchResult(r, substring ? q : null)) };
}
