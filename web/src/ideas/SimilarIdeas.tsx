import { CLOSED_IDEA_STATUSES, type SimilarIdea } from '@fanlab/shared';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { IdeaStatusBadge } from './IdeaStatusBadge';
import { useDebounced } from './useDebounced';
import { useIdeaLive } from './useIdeaLive';
import { SIMILAR_MIN, useIdea, useSimilarIdeas } from './useIdeas';
import { useIdeaVote } from './useIdeaVote';
import { VoteButton, VoteError } from './VoteButton';

const TYPING_DELAY_MS = 250;

/**
 * One suggestion with a vote button right there. The suggestion does not say whether the reader
 * voted for it, so the idea itself is loaded for that (and for the live count's starting point).
 */
function SimilarIdeaItem({ idea }: { idea: SimilarIdea }) {
  const { t } = useTranslation();
  const detail = useIdea(idea.id).data;
  const vote = useIdeaVote(idea.id, detail ?? { voteCount: idea.voteCount, voteVersion: 0, voted: false });
  useIdeaLive(idea.id, detail ? vote.voteVersion : undefined);
  const status = detail?.status ?? idea.status;
  const canVote = detail
    ? detail.canVote || (vote.voted && detail.cannotVoteReason === 'budget_exhausted')
    : !CLOSED_IDEA_STATUSES.includes(status);
  return (
    <li className="similar-idea" data-testid="similar-idea" data-idea-id={idea.id}>
      <VoteButton vote={vote} disabled={!detail || !canVote} />
      <div className="similar-idea-main">
        <Link to={`/t/${idea.id}`} target="_blank" rel="noopener" className="similar-idea-link">
          {idea.title}
          <span className="visually-hidden"> {t('ideas.similar.newTab')}</span>
        </Link>
        <p className="similar-idea-meta">
          <IdeaStatusBadge status={status} />
          <span>{t('ideas.vote.count', { count: vote.voteCount })}</span>
        </p>
        <VoteError vote={vote} />
      </div>
    </li>
  );
}

/** While a new idea's title is typed: ideas that look the same, to vote for instead of posting a duplicate. */
export function SimilarIdeas({ title, category }: { title: string; category: string }) {
  const { t } = useTranslation();
  const query = useDebounced(title.trim(), TYPING_DELAY_MS);
  const similar = useSimilarIdeas(query.length >= SIMILAR_MIN ? query : '', category);
  const ideas = title.trim().length >= SIMILAR_MIN ? (similar.data ?? []) : [];
  return (
    <div className="similar-ideas-region" aria-live="polite">
      {ideas.length ? (
        <section className="similar-ideas" data-testid="similar-ideas" aria-labelledby="similar-ideas-heading">
          <h2 id="similar-ideas-heading" className="small-heading">
            {t('ideas.similar.heading')}
          </h2>
          <p className="field-hint">{t('ideas.similar.hint')}</p>
          <ul className="similar-idea-list">
            {ideas.map((idea) => (
              <SimilarIdeaItem key={idea.id} idea={idea} />
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
