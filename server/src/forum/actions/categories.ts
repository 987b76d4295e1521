import type { CategoryBody, CategoryPatch } from '@fanlab/shared';
import { ErrorCodes } from '@fanlab/shared';
import { writeAudit } from '../../audit/log';
import type { CategoryRow } from '../../db/schema';
import type { Tx } from '../../db/tx';
import { AppError, notFound } from '../../http/errors';

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

function isUniqueViolation(err: unknown) {
  return (err as { code?: string }).code === '23505';
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
    await checkParent(tx, input.parentId);
    const row = await tx
      .insertInto('categories')
      .values({
        parent_id: input.parentId ?? null,
        slug: input.slug,
        name: input.name,
        description: input.description,
        color: input.color,
        position: input.position,
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
    const before = await tx.selectFrom('categories').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw notFound('The category');
    if (patch.parentId !== undefined) await checkParent(tx, patch.parentId, id);
    const row = await tx
      .updateTable('categories')
      .set({
        parent_id: patch.parentId,
        slug: patch.slug,
        name: patch.name,
        description: patch.description,
        color: patch.color,
        position: patch.position,
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
      data: { ...patch },
    });
    return row;
  } catch (err) {
    if (isUniqueViolation(err)) throw slugTaken();
    throw err;
  }
}

/** Only an empty category (no threads, no sub-categories) can be deleted. */
export async function deleteCategory(tx: Tx, actorId: number, id: number): Promise<void> {
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
  await tx.deleteFrom('categories').where('id', '=', id).execute();
  await writeAudit(tx, {
    actorId,
    action: 'category.deleted',
    targetId: id,
    data: { slug: row.slug },
  });
}
