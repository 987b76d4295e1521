import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { withNext } from '../account/nextPath';
import { ApiError } from '../api/client';
import { Icon } from '../components/Icon';
import { errorMessage } from '../i18n/errorMessage';
import type { IdeaVote } from './useIdeaVote';

interface VoteButtonProps {
  vote: IdeaVote;
  /** The idea takes no votes (closed, or the server says this reader cannot vote). */
  disabled?: boolean;
  /** The idea page's big button, with a "Vote"/"Voted" label. */
  large?: boolean;
}

/**
 * The count and the reader's vote on it (aria-pressed), toggled by a click. Its accessible name is
 * its text: the count shown, then (hidden) what it counts and does.
 */
export function VoteButton({ vote, disabled, large }: VoteButtonProps) {
  const { t } = useTranslation();
  return (
    <button
      type="button"
      className={`vote-button${large ? ' vote-button-large' : ''}${vote.voted ? ' voted' : ''}`}
      data-testid="vote-button"
      aria-pressed={vote.voted}
      aria-busy={vote.pending}
      disabled={disabled}
      onClick={vote.toggle}
    >
      <Icon name="up" className="icon vote-icon" />
      <span className="vote-count" data-testid="vote-count">
        {vote.voteCount}
      </span>
      {/* the name read out starts with what is shown (WCAG 2.5.3): "12 votes, vote for this idea" */}
      <span className="visually-hidden">
        {' '}
        {t('ideas.vote.noun', { count: vote.voteCount })}
        {large ? '' : `, ${t('ideas.vote.hint')}`}
      </span>
      {large ? <span className="vote-label">{vote.voted ? t('ideas.vote.voted') : t('ideas.vote.vote')}</span> : null}
    </button>
  );
}

/** Why the last vote did not count: a sign-in link for visitors, the translated refusal otherwise. */
export function VoteError({ vote }: { vote: IdeaVote }) {
  const { t } = useTranslation();
  const location = useLocation();
  const error = vote.error;
  if (!error) return null;
  if (error instanceof ApiError && error.code === 'unauthenticated') {
    return (
      <p className="vote-error" role="alert" data-testid="vote-error">
        <Link to={withNext('/sign-in', `${location.pathname}${location.search}`)} data-testid="vote-sign-in">
          {t('ideas.vote.signIn')}
        </Link>
      </p>
    );
  }
  return (
    <p className="vote-error" role="alert" data-testid="vote-error">
      {errorMessage(t, error)}
    </p>
  );
}
