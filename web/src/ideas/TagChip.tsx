import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/** A tag linking to the board it belongs to, filtered by it. */
export function TagChip({ tag, board }: { tag: string; board: string }) {
  const { t } = useTranslation();
  return (
    <Link
      to={`${board}?tag=${encodeURIComponent(tag)}`}
      className="tag-chip"
      data-testid="idea-tag"
      title={t('ideas.tagLink', { tag })}
    >
      #{tag}
    </Link>
  );
}

export function TagList({ tags, board }: { tags: readonly string[]; board: string }) {
  const { t } = useTranslation();
  if (!tags.length) return null;
  return (
    <ul className="tag-list" aria-label={t('ideas.tagsLabel')}>
      {tags.map((tag) => (
        <li key={tag}>
          <TagChip tag={tag} board={board} />
        </li>
      ))}
    </ul>
  );
}
