import type { StatusChange } from '@fanlab/shared';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Cooked } from '../components/Cooked';
import { RelativeTime } from '../components/RelativeTime';
import { UserLink } from '../users/UserLink';
import { IdeaStatusBadge } from './IdeaStatusBadge';

/** The idea's status changes, oldest first, each with who made it and the response given with it. */
export function IdeaTimeline({ history }: { history: readonly StatusChange[] }) {
  const { t } = useTranslation();
  if (!history.length) return null;
  return (
    <section className="idea-timeline" aria-labelledby="idea-timeline-heading">
      <h2 id="idea-timeline-heading" className="small-heading">
        {t('ideas.panel.timeline')}
      </h2>
      <ol className="timeline" data-testid="status-timeline">
        {history.map((change) => (
          <li key={change.id} className="timeline-entry" data-testid="status-change" data-status={change.toStatus}>
            <p className="timeline-head">
              {change.fromStatus ? (
                <>
                  <IdeaStatusBadge status={change.fromStatus} />
                  <span aria-hidden="true">→</span>
                  <span className="visually-hidden">{t('ideas.panel.changedTo')}</span>
                </>
              ) : null}
              <IdeaStatusBadge status={change.toStatus} />
              {change.release ? (
                <Link to={`/releases/${change.release.id}`} data-testid="timeline-release">
                  {t(change.release.channel === 'stable' ? 'ideas.panel.inRelease' : 'ideas.panel.inBetaRelease', {
                    version: change.release.version,
                  })}
                </Link>
              ) : null}
              {change.actor ? (
                <span>
                  {t('threadList.by')} <UserLink username={change.actor.username} />
                </span>
              ) : null}
              <RelativeTime date={change.createdAt} className="timeline-time" />
            </p>
            {change.responseCooked ? (
              <Cooked html={change.responseCooked} className="cooked timeline-response" />
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
