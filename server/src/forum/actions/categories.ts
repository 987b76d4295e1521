import type { AuditData, CategoryBody, CategoryPatch } from '@fanlab/shared';
import { ErrorCodes } from '@fanlab/shared';
import { sql } from 'kysely';
import { writeAudit } from '../../audit/log';
import { isUniqueViolation } from '../../db/errors';
import type { CategoryRow } from '../../db/schema';
import type { Tx } from '../../db/tx';
import { AppError, notFound } from '../../http/errors';

/**
 * Category changes take turns: every rule that adds, moves, reorders or deletes a category holds
 * this transaction-scoped lock first, so a reorder sees the siblings as they are and two writers
 * never interleave their positions (or deadlock updating the same rows in different orders).
 */
async function lockCategoryTree(tx: Tx): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended('category-tree', 0))`.execute(tx);
}

/** The position after the last of `parentId`'s children (or of the top level). */
async function endPosition(tx: Tx, parentId: number | null): Promise<number> {
  const row = await tx
    .selectFrom('categories')
    .select((eb) => eb.fn.coalesce(eb.fn.max('position'), sql.lit(-1)).as('last'))
    .where(sql<boolean>`parent_id is not distinct from ${parentId}`)
    .executeTakeFirstOrThrow();
  return Number(row.last) + 1;
}

/** The API fields of a category and their columns, for the audit's before/after. */
const patchColumns = {
  parentId: 'parent_id',
  slug: 'slug',
  name: 'name',
  description: 'description',
  color: 'color',
  position: 'position',
  locale: 'locale',
  allowDiscussions: 'allow_discussions',
  allowIdeas: 'allow_ideas',
  whoCanStart: 'who_can_start',
  voteBudget: 'vote_budget',
} as const satisfies Record<keyof CategoryPatch, keyof CategoryRow>;

/** Each field of `patch` that changes a value, as [before, after]. */
function changesOf(before: CategoryRow, after: CategoryRow, patch: CategoryPatch): AuditData['category.updated'] {
  const changes: Record<string, [unknown, unknown]> = {};
  for (const field of Object.keys(patch) as (keyof CategoryPatch)[]) {
    const column = patchColumns[field];
    if (before[column] !== after[column]) changes[field] = [before[column], after[column]];
  }
  return changes as AuditData['category.updated'];
}

const slugTaken = () => new AppError(409, ErrorCodes.slugTaken, 'Another category has this slug.');

async function checkParent(tx: Tx, parentId: number | null | undefined, selfId?: number) {
  if (parentId === null || parentId === undefined) return;
  if (parentId === selfId) throw new AppError(400, ErrorCodes.invalidParent, 'A category cannot be its own parent.');
  const parent = await tx
    .selectFrom('categories')
    .select(['id', 'parent_id'])
    .where('id', '=', parentId)
    .forShare()
    .executeTakeFirst();
  if (!parent) throw new AppError(400, ErrorCodes.invalidParent, 'The parent category does not exist.');
  if (parent.parent_id !== null) {
    throw new AppError(400, ErrorCodes.invalidParent, 'Sub-categories cannot have sub-categories (one level only).');
  }
  if (selfId !== undefined) {
    const children = await tx.selectFrom('categories').select('id').where('parent_id', '=', selfId).limit(1).execute();
    if (children.length)
      throw new AppError(400, ErrorCodes.invalidParent, 'A category with sub-categories must stay top level.');
  }
}

/**
 * Moves a category's `thread_count` (visible threads) by `delta`, in the transaction of the change
 * that adds, deletes or restores a thread.
 */
export async function adjustThreadCount(tx: Tx, categoryId: number, delta: 1 | -1): Promise<void> {
  await tx
    .updateTable('categories')
    .set((eb) => ({ thread_count: eb('thread_count', '+', delta) }))
    .where('id', '=', categoryId)
    .execute();
}

export async function createCategory(tx: Tx, actorId: number | null, input: CategoryBody): Promise<CategoryRow> {
  try {
    await lockCategoryTree(tx);
    await checkParent(tx, input.parentId);
    const row = await tx
      .insertInto('categories')
      .values({
        parent_id: input.parentId ?? null,
        slug: input.slug,
        name: input.name,
        description: input.description,
        color: input.color,
        position: input.position ?? (await endPosition(tx, input.parentId ?? null)),
        locale: input.locale ?? null,
        allow_discussions: input.allowDiscussions,
        allow_ideas: input.allowIdeas,
        who_can_start: input.whoCanStart,
        vote_budget: input.voteBudget ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(tx, {
      actorId,
      action: 'category.created',
      targetId: row.id,
      data: { slug: row.slug },
    });
    return row;
  } catch (err) {
    if (isUniqueViolation(err)) throw slugTaken();
    throw err;
  }
}

export async function updateCategory(tx: Tx, actorId: number, id: number, patch: CategoryPatch): Promise<CategoryRow> {
  try {
    await lockCategoryTree(tx);
    const before = await tx.selectFrom('categories').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw notFound('The category');
    if (patch.parentId !== undefined) await checkParent(tx, patch.parentId, id);
    // A category moved to another parent goes last among its new siblings, unless placed.
    const moved = patch.parentId !== undefined && patch.parentId !== before.parent_id;
    const position = patch.position ?? (moved ? await endPosition(tx, patch.parentId ?? null) : undefined);
    const row = await tx
      .updateTable('categories')
      .set({
        parent_id: patch.parentId,
        slug: patch.slug,
        name: patch.name,
        description: patch.description,
        color: patch.color,
        position,
        locale: patch.locale,
        allow_discussions: patch.allowDiscussions,
        allow_ideas: patch.allowIdeas,
        who_can_start: patch.whoCanStart,
        vote_budget: patch.voteBudget,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(tx, {
      actorId,
      action: 'category.updated',
      targetId: id,
      data: changesOf(before, row, patch),
    });
    return row;
  } catch (err) {
    if (isUniqueViolation(err)) throw slugTaken();
    throw err;
  }
}

/** Only an empty category (no threads, no sub-categories) can be deleted. */
export async function deleteCategory(tx: Tx, actorId: number, id: number): Promise<void> {
  await lockCategoryTree(tx);
  const row = await tx.selectFrom('categories').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!row) throw notFound('The category');
  const inUse = await tx
    .selectFrom('threads')
    .select('id')
    .where('category_id', '=', id)
    .union(tx.selectFrom('categories').select('id').where('parent_id', '=', id))
    .limit(1)
    .execute();
  if (inUse.length) {
    throw new AppError(409, ErrorCodes.categoryNotEmpty, 'Move or delete its threads and sub-categories first.');
  }
  const waiting = await tx
    .selectFrom('queued_posts')
    .select('id')
    .where('category_id', '=', id)
    .where('status', '=', 'pending')
    .limit(1)
    .execute();
  if (waiting.length) {
    throw new AppError(409, ErrorCodes.categoryNotEmpty, 'Posts wait for approval in it: decide them first.');
  }
  const program = await tx
    .selectFrom('beta_programs')
    .select('name')
    .where('category_id', '=', id)
    .limit(1)
    .executeTakeFirst();
  if (program) {
    throw new AppError(
      409,
      ErrorCodes.categoryNotEmpty,
      `The beta program "${program.name}" is about it: move it first.`,
    );
  }
  await tx.deleteFrom('categories').where('id', '=', id).execute();
  await writeAudit(tx, {
    actorId,
    action: 'category.deleted',
    targetId: id,
    data: { slug: row.slug },
  });
}

/**
 * Puts one parent's sub-categories (or the top level: `parentId` null) in the order given, which
 * must name every one of them exactly once (409 `category_order_stale` when one was added, moved
 * or deleted since the admin loaded the list). Positions become 0, 1, 2, … in one statement.
 */
export async function reorderCategories(
  tx: Tx,
  actorId: number,
  parentId: number | null,
  order: readonly number[],
): Promise<CategoryRow[]> {
  await lockCategoryTree(tx);
  if (parentId !== null) {
    const parent = await tx.selectFrom('categories').select('id').where('id', '=', parentId).executeTakeFirst();
    if (!parent) throw notFound('The parent category');
  }
  const siblings = await tx
    .selectFrom('categories')
    .select(['id', 'position'])
    .where(sql<boolean>`parent_id is not distinct from ${parentId}`)
    .orderBy('position')
    .orderBy('name')
    .orderBy('id')
    .execute();
  const current = new Set(siblings.map((s) => s.id));
  if (order.length !== current.size || !order.every((id) => current.has(id))) {
    throw new AppError(
      409,
      ErrorCodes.categoryOrderStale,
      'The order must list every one of these categories exactly once; they changed meanwhile: reload.',
    );
  }
  const positions = order.map((id, position) => sql`(${id}::bigint, ${position}::int)`);
  await sql`update categories c set position = o.position
    from (values ${sql.join(positions)}) as o(id, position)
    where c.id = o.id`.execute(tx);
  await writeAudit(tx, {
    actorId,
    action: 'category.reordered',
    targetId: parentId,
    data: { parent: parentId, from: siblings.map((s) => s.id), to: [...order] },
  });
  return tx
    .selectFrom('categories')
    .selectAll()
    .where(sql<boolean>`parent_id is not distinct from ${parentId}`)
    .orderBy('position')
    .orderBy('name')
    .execute();
}
