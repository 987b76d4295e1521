import type { Release } from '@fanlab/shared';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Cooked } from '../components/Cooked';
import { IdeaStatusBadge } from '../ideas/IdeaStatusBadge';

/** "8 May 2026" in the reader's language (the day as written, in no time zone). */
export function dayText(date: string, language: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year, month - 1, day)),
  );
}

/** One release: version, channel, day, notes and the ideas it delivers with their votes. */
export function ReleaseCard({ release, linkTitle = true }: { release: Release; linkTitle?: boolean }) {
  const { t, i18n } = useTranslation();
  const title = t('releases.title', { version: release.version, channel: t(`releases.channel.${release.channel}`) });
  return (
    <article className="card release" data-testid="release" data-release-id={release.id}>
      <header className="release-head">
        <h2 className="release-title">{linkTitle ? <Link to={`/releases/${release.id}`}>{title}</Link> : title}</h2>
        <span className={`badge release-channel release-channel-${release.channel}`}>
          {t(`releases.channel.${release.channel}`)}
        </span>
        {release.state === 'draft' ? <span className="badge badge-kind">{t('releases.draft')}</span> : null}
        <span className="muted release-date">{dayText(release.date, i18n.language)}</span>
      </header>
      {release.notesCooked ? <Cooked html={release.notesCooked} /> : null}
      {release.ideas.length ? (
        <section aria-label={t('releases.ideasHeading')}>
          <h3 className="small-heading">{t('releases.ideasHeading')}</h3>
          <ul className="release-ideas">
            {release.ideas.map((idea) => (
              <li key={idea.id} className="release-idea" data-testid="release-idea" data-idea-id={idea.id}>
                <Link to={`/t/${idea.id}`}>{idea.title}</Link> <IdeaStatusBadge status={idea.status} />{' '}
                <span className="muted">{t('releases.votes', { count: idea.voteCount })}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </article>
  );
}
