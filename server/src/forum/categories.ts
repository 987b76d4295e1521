import type { Category, CategoryBody, CategoryPatch } from '@fanlab/shared';
import { ErrorCodes } from '@fanlab/shared';
import { writeAudit } from '../audit/log';
import type { Db } from '../db/connect';
import type { CategoryRow } from '../db/schema';
import type { Tx } from '../db/tx';
import { AppError, notFound } from '../http/errors';

export function toCategory(row: CategoryRow): Category {
  return {
    id: row.id,
    parentId: row.parent_id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    color: row.color,
    position: row.position,
    locale: row.locale,
    allowDiscussions: row.allow_discussions,
    allowIdeas: row.allow_ideas,
    whoCanStart: row.who_can_start,
    threadCount: row.thread_count,
    voteBudget: row.vote_budget,
  };
}

/** Every category, parents before children, each level by position then name. */
export async function listCategories(db: Db): Promise<CategoryRow[]> {
  const rows = await db.selectFrom('categories').selectAll().orderBy('position').orderBy('name').execute();
  const top = rows.filter((r) => r.parent_id === null);
  return top.flatMap((parent) => [parent, ...rows.filter((r) => r.parent_id === parent.id)]);
}

export async function findCategoryBySlug(db: Db, slug: string): Promise<CategoryRow> {
  const row = await db.selectFrom('categories').selectAll().where('slug', '=', slug.toLowerCase()).executeTakeFirst();
  if (!row) throw notFound('The category');
  return row;
}

/**
 * The ids of the category named by `slug` and of its sub-categories, in one query (lists of a
 * top-level category include its children); 404 when there is no such category.
 */
export async function categoryAndChildrenIds(db: Db, slug: string): Promise<number[]> {
  const lower = slug.toLowerCase();
  const rows = await db
    .selectFrom('categories')
    .select(['id', 'slug'])
    .where((eb) =>
      eb.or([
        eb('slug', '=', lower),
        eb(
          'parent_id',
          '=',
          eb.selectFrom('categories as p').select('p.id').where('p.slug', '=', lower).where('p.parent_id', 'is', null),
        ),
      ]),
    )
    .execute();
  const self = rows.find((r) => r.slug === lower);
  if (!self) throw notFound('The category');
  return [self.id, ...rows.filter((r) => r !== self).map((r) => r.id)];
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
