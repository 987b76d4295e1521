import type { Category } from '@fanlab/shared';

export interface CategoryNode<C extends Category> {
  category: C;
  children: C[];
}

/** Top-level categories with their sub-categories, keeping the server's order. */
export function categoryTree<C extends Category>(categories: readonly C[]): CategoryNode<C>[] {
  const nodes = new Map<number, CategoryNode<C>>();
  for (const category of categories) {
    if (category.parentId === null) nodes.set(category.id, { category, children: [] });
  }
  for (const category of categories) {
    if (category.parentId !== null) nodes.get(category.parentId)?.children.push(category);
  }
  return [...nodes.values()];
}

export function categoriesById<C extends Category>(categories: readonly C[] | undefined): Map<number, C> {
  return new Map((categories ?? []).map((category) => [category.id, category]));
}
