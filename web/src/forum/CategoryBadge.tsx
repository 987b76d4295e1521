import type { Category } from '@fanlab/shared';
import type { CSSProperties } from 'react';
import { Link } from 'react-router';

/** The category's name with its colour, linking to it. */
export function CategoryBadge({ category }: { category: Pick<Category, 'slug' | 'name' | 'color'> }) {
  return (
    <Link
      to={`/c/${category.slug}`}
      className="category-badge"
      style={{ '--category-color': category.color } as CSSProperties}
      data-testid="category-badge"
    >
      {category.name}
    </Link>
  );
}
