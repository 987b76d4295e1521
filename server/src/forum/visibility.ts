import { sql } from 'kysely';

/**
 * The one "listed thread" filter: which threads appear in lists, boards, profiles and search
 * (not deleted, not unlisted). `alias` is the threads table's name or alias in the query. When
 * moderation adds states that hide a thread from lists (hidden after flags, pending review), they
 * go here, and every list follows. (A thread opened by id is judged by forumPolicy.seeThread.)
 *
 * Literal SQL, so the planner matches the partial indexes (`… where deleted_at is null and not
 * unlisted`) that the lists are read from.
 */
export const listedThread = (alias: string) =>
  sql<boolean>`(${sql.ref(`${alias}.deleted_at`)} is null and not ${sql.ref(`${alias}.unlisted`)})`;
