import type { Db } from '../db/connect';
import { notFound } from '../http/errors';
import type { TaggedCache } from '../http/response-cache';

/** A category's place in the tree: what turns a slug, a language space or a region into ids. */
export interface CategoryPlace {
  id: number;
  slug: string;
  parentId: number | null;
  locale: string | null;
}

/** Every category's place (categories are few: dozens, a few hundred at most). One query. */
export async function readCategoryPlaces(db: Db): Promise<CategoryPlace[]> {
  const rows = await db.selectFrom('categories').select(['id', 'slug', 'parent_id', 'locale']).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, slug: r.slug, parentId: r.parent_id, locale: r.locale }));
}

/**
 * The ids of the category named by `slug` and, for a top-level one, of its sub-categories (lists
 * of a top-level category include its children); 404 when there is no such category.
 */
export function categoryWithChildren(places: readonly CategoryPlace[], slug: string): number[] {
  const lower = slug.toLowerCase();
  const self = places.find((p) => p.slug === lower);
  if (!self) throw notFound('The category');
  const children = self.parentId === null ? places.filter((p) => p.parentId === self.id).map((p) => p.id) : [];
  return [self.id, ...children];
}

/**
 * The categories of a language space (`es`: es, es-ES, es-MX…; `es-MX`: that one) and/or a
 * region (`MX`: every `*-MX`).
 */
export function categoriesOfLocale(places: readonly CategoryPlace[], space?: string, region?: string): number[] {
  return places
    .filter((p) => {
      const locale = p.locale ?? '';
      if (space && !(space.includes('-') ? locale === space : locale === space || locale.startsWith(`${space}-`)))
        return false;
      return !region || locale.endsWith(`-${region}`);
    })
    .map((p) => p.id);
}

/** Where the category places come from: this process's directory, or the database each time. */
export interface CategorySource {
  places(): Promise<readonly CategoryPlace[]>;
}

/** Places read from the database on every call (scripts, and readers without a directory). */
export const placesFrom = (db: Db): CategorySource => ({ places: () => readCategoryPlaces(db) });

/**
 * Category places kept per process (a slug costs no query): dropped with everything when a
 * category changes (migration 0028 announces `all`), like the other caches (docs/architecture.md).
 */
export class CategoryDirectory implements CategorySource {
  constructor(
    private readonly db: Db,
    private readonly cache: TaggedCache<CategoryPlace[]>,
  ) {}

  async places(): Promise<CategoryPlace[]> {
    const kept = this.cache.lookup(KEY)?.value ?? (await this.cache.inFlight(KEY))?.value;
    if (kept) return kept;
    const fill = this.cache.begin(KEY, ['categories']);
    let places: CategoryPlace[] | undefined;
    try {
      places = await readCategoryPlaces(this.db);
    } finally {
      fill.done(places ? this.cache.store(fill, places, 200 * places.length) : undefined);
    }
    return places;
  }
}
const KEY = 'places';
