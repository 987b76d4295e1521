import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Voter } from '../api/ideas';
import { LoadError } from '../components/LoadError';
import { LoadMore } from '../components/LoadMore';
import { RelativeTime } from '../components/RelativeTime';
import { UserLink } from '../users/UserLink';
import { useVoters } from './useIdeas';

/** Every loaded voter once (pages may overlap while votes come and go). */
function uniqueVoters(pages: readonly { items: readonly Voter[] }[] | undefined): Voter[] {
  const byUser = new Map<number, Voter>();
  for (const page of pages ?? [])
    for (const voter of page.items) if (!byUser.has(voter.user.id)) byUser.set(voter.user.id, voter);
  return [...byUser.values()];
}

/** Staff and product managers: who voted, newest first, loaded when asked for. */
export function IdeaVoters({ ideaId, voteCount }: { ideaId: number; voteCount: number }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const voters = useVoters(ideaId, open);
  const items = uniqueVoters(voters.data?.pages);

  return (
    <section className="idea-voters">
      <h3>{t('ideas.tools.votersHeading', { count: voteCount })}</h3>
      <button
        type="button"
        className="button button-small button-secondary"
        data-testid="voters-toggle"
        aria-expanded={open}
        onClick={() => setOpen((current) => !current)}
      >
        {open ? t('ideas.tools.hideVoters') : t('ideas.tools.showVoters')}
      </button>{' '}
      <a
        className="button button-small button-secondary"
        href={`/api/ideas/${ideaId}/voters/export?format=csv&bom=true`}
        download
        data-testid="voters-export"
      >
        {t('ideas.tools.exportVoters')}
      </a>
      {open ? (
        voters.isPending ? (
          <p className="loading">{t('app.loading')}</p>
        ) : voters.isError && !voters.data ? (
          <LoadError error={voters.error} onRetry={() => void voters.refetch()} />
        ) : (
          <>
            {items.length ? (
              <ul className="voter-list" data-testid="voters">
                {items.map((voter) => (
                  <li key={voter.user.id} className="voter" data-testid="voter">
                    <UserLink username={voter.user.username} /> <RelativeTime date={voter.votedAt} className="notice" />
                  </li>
                ))}
              </ul>
            ) : (
              <p className="notice" data-testid="voters">
                {t('ideas.tools.noVoters')}
              </p>
            )}
            {voters.isFetchNextPageError ? (
              <LoadError error={voters.error} onRetry={() => void voters.fetchNextPage()} />
            ) : null}
            <LoadMore
              hasMore={voters.hasNextPage}
              loading={voters.isFetchingNextPage}
              onLoad={() => void voters.fetchNextPage()}
              testId="voters-load-more"
            />
          </>
        )
      ) : null}
    </section>
  );
}
