import type { Category, IdeaDetail } from '@fanlab/shared';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { withNext } from '../account/nextPath';
import { Cooked } from '../components/Cooked';
import { LoadError } from '../components/LoadError';
import { RelativeTime } from '../components/RelativeTime';
import { IdeaMergeForm, UnmergeButton } from './IdeaMergeForm';
import { IdeaStatusBadge } from './IdeaStatusBadge';
import { IdeaStatusForm } from './IdeaStatusForm';
import { IdeaTagsEditor } from './IdeaTagsEditor';
import { IdeaTimeline } from './IdeaTimeline';
import { IdeaVoters } from './IdeaVoters';
import { TagList } from './TagChip';
import { useIdeaLive } from './useIdeaLive';
import { useIdea } from './useIdeas';
import { useIdeaVote } from './useIdeaVote';
import { VoteButton, VoteError } from './VoteButton';

const knownReasons = ['unauthenticated', 'closed', 'silenced', 'budget_exhausted'] as const;
type Reason = (typeof knownReasons)[number] | 'other';

const reasonOf = (code: string): Reason =>
  (knownReasons as readonly string[]).includes(code) ? (code as Reason) : 'other';

/** Why the reader cannot vote, translated (visitors get a sign-in link). */
function CannotVote({ code }: { code: string }) {
  const { t } = useTranslation();
  const location = useLocation();
  const reason = reasonOf(code);
  return (
    <p className="cannot-vote" data-testid="cannot-vote-reason" data-reason={code}>
      {reason === 'unauthenticated' ? (
        <Link to={withNext('/sign-in', `${location.pathname}${location.search}`)} data-testid="vote-sign-in">
          {t('ideas.reason.unauthenticated')}
        </Link>
      ) : (
        t(`ideas.reason.${reason}`)
      )}
    </p>
  );
}

function OfficialResponse({ idea }: { idea: IdeaDetail }) {
  const { t } = useTranslation();
  if (!idea.officialResponseCooked) return null;
  return (
    <section className="official-response" data-testid="official-response" aria-labelledby="official-response-heading">
      <h2 id="official-response-heading" className="official-response-heading">
        {t('ideas.panel.officialResponse')}
        {idea.officialResponseAt ? (
          <>
            {' '}
            <RelativeTime date={idea.officialResponseAt} className="official-response-time" />
          </>
        ) : null}
      </h2>
      <Cooked html={idea.officialResponseCooked} />
    </section>
  );
}

function StaffTools({ idea }: { idea: IdeaDetail }) {
  const { t } = useTranslation();
  // What the reader may do comes from the server's policy, never re-derived here.
  const triage = idea.canTriage;
  const curate = idea.canCurate;
  if (!triage && !curate) return null;
  return (
    <section className="idea-tools card" data-testid="idea-tools" aria-labelledby="idea-tools-heading">
      <h2 id="idea-tools-heading">{t('ideas.tools.heading')}</h2>
      <div className="idea-tools-grid">
        {triage && !idea.mergedInto ? <IdeaStatusForm idea={idea} /> : null}
        {curate ? <IdeaTagsEditor ideaId={idea.threadId} tags={idea.tags} /> : null}
        {curate ? (
          idea.mergedInto ? (
            <div>
              <h3>{t('ideas.tools.mergeHeading')}</h3>
              <UnmergeButton ideaId={idea.threadId} />
            </div>
          ) : (
            <IdeaMergeForm ideaId={idea.threadId} />
          )
        ) : null}
        {triage ? <IdeaVoters ideaId={idea.threadId} voteCount={idea.voteCount} /> : null}
      </div>
    </section>
  );
}

function Panel({ idea, board }: { idea: IdeaDetail; board: string }) {
  const { t } = useTranslation();
  const vote = useIdeaVote(idea.threadId, idea);
  useIdeaLive(idea.threadId, vote.voteVersion);
  const reason = idea.cannotVoteReason;
  // Out of budget, a reader can still take back the vote they gave this idea.
  const canVote = idea.canVote || (vote.voted && reason === 'budget_exhausted');
  const showReason = !canVote && reason !== null;

  return (
    <>
      <section className="idea-panel card" data-testid="idea-panel" aria-label={t('ideas.panel.label')}>
        <VoteButton vote={vote} disabled={!canVote} large />
        <div className="idea-panel-main">
          <p className="idea-panel-status">
            <IdeaStatusBadge status={idea.status} />
            <span className="notice">{t('ideas.vote.count', { count: vote.voteCount })}</span>
          </p>
          <TagList tags={idea.tags} board={board} />
          {idea.budgetLeft !== null ? (
            <p className="vote-budget" data-testid="vote-budget">
              {t('ideas.vote.budgetLeft', { count: idea.budgetLeft })}
            </p>
          ) : null}
          {showReason && reason ? <CannotVote code={reason} /> : null}
          {vote.voted && !vote.pending && idea.voteHeld ? (
            <p className="notice" role="note" data-testid="vote-held">
              {t('ideas.vote.heldSaved')}
            </p>
          ) : !vote.voted && vote.held && canVote ? (
            <p className="notice" role="note" data-testid="votes-held">
              {t('ideas.vote.heldHint')}
            </p>
          ) : null}
          <VoteError vote={vote} />
        </div>
      </section>
      {idea.mergedInto ? (
        <p className="merged-notice" role="note" data-testid="merged-into">
          {t('ideas.panel.mergedInto')}{' '}
          <Link to={`/t/${idea.mergedInto.id}`} data-testid="merged-into-link">
            {idea.mergedInto.title}
          </Link>
          . {t('ideas.panel.mergedVotes')}
        </p>
      ) : null}
      <OfficialResponse idea={idea} />
      {idea.mergedFrom.length ? (
        <section className="merged-from" aria-labelledby="merged-from-heading">
          <h2 id="merged-from-heading" className="small-heading">
            {t('ideas.panel.mergedFrom')}
          </h2>
          <ul data-testid="merged-from">
            {idea.mergedFrom.map((merged) => (
              <li key={merged.id}>
                <Link to={`/t/${merged.id}`}>{merged.title}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <IdeaTimeline history={idea.history} />
      <StaffTools idea={idea} />
    </>
  );
}

/** The idea part of a thread page, above its posts: votes, status, response, history and staff tools. */
export function IdeaPanel({ threadId, category }: { threadId: number; category: Pick<Category, 'slug'> }) {
  const { t } = useTranslation();
  const idea = useIdea(threadId);
  if (idea.isPending) {
    return (
      <p className="loading" role="status">
        {t('app.loading')}
      </p>
    );
  }
  if (!idea.data) return <LoadError error={idea.error} onRetry={() => void idea.refetch()} />;
  return <Panel idea={idea.data} board={`/c/${category.slug}/ideas`} />;
}
