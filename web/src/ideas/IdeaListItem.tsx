import { type Category, CLOSED_IDEA_STATUSES, type IdeaSummary } from '@fanlab/shared';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CategoryBadge } from '../forum/CategoryBadge';
import { UserLink } from '../users/UserLink';
import { IdeaStatusBadge } from './IdeaStatusBadge';
import { TagList } from './TagChip';
import { useIdeaLive } from './useIdeaLive';
import { useIdeaVote } from './useIdeaVote';
import { useInView } from './useInView';
import { VoteButton, VoteError } from './VoteButton';

interface IdeaListItemProps {
  idea: IdeaSummary;
  /** Shown as a badge (boards across categories, or sub-categories inside one). */
  category?: Pick<Category, 'slug' | 'name' | 'color'>;
  /** The board's path, for the tag links. */
  board: string;
}

/** One idea of a board: its vote button (live while on screen), status, title, tags and replies. */
export function IdeaListItem({ idea, category, board }: IdeaListItemProps) {
  const { t } = useTranslation();
  const row = useRef<HTMLLIElement>(null);
  const onScreen = useInView(row);
  const vote = useIdeaVote(idea.id, idea);
  useIdeaLive(idea.id, vote.voteVersion, onScreen);
  const closed = CLOSED_IDEA_STATUSES.includes(idea.status) || idea.mergedIntoId !== null;

  return (
    <li ref={row} className="idea-item" data-testid="idea-list-item" data-idea-id={idea.id}>
      <VoteButton vote={vote} disabled={closed} />
      <div className="idea-item-main">
        <p className="idea-item-title">
          <Link to={`/t/${idea.id}`} className="idea-item-link" data-testid="idea-link">
            {idea.title}
          </Link>
        </p>
        {idea.excerpt ? (
          <p className="idea-item-excerpt" data-testid="idea-excerpt">
            {idea.excerpt}
          </p>
        ) : null}
        <div className="idea-item-meta">
          <IdeaStatusBadge status={idea.status} />
          {idea.mergedIntoId !== null ? (
            <Link to={`/t/${idea.mergedIntoId}`} className="idea-merged-note" data-testid="idea-merged-note">
              {t('ideas.mergedNote')}
            </Link>
          ) : null}
          {category ? <CategoryBadge category={category} /> : null}
          <TagList tags={idea.tags} board={board} />
          <span>
            {t('threadList.by')} <UserLink username={idea.author.username} />
          </span>
        </div>
        <VoteError vote={vote} />
      </div>
      <dl className="idea-item-stats">
        <div>
          <dt>{t('threadList.replies')}</dt>
          <dd data-testid="reply-count">{idea.replyCount}</dd>
        </div>
      </dl>
    </li>
  );
}
