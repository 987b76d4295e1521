import type { ReleaseChannel } from '@fanlab/shared';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useMe } from '../account/useMe';
import { EmptyState } from '../components/EmptyState';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { LoadMore } from '../components/LoadMore';
import { usePageTitle } from '../components/usePageTitle';
import { uniqueItems } from '../forum/flatten';
import { ReleaseCard } from './ReleaseCard';
import { useReleaseList } from './useReleases';

const CHANNELS = ['all', 'beta', 'stable'] as const;

/** Drafts waiting to be published, for those who write releases. */
function Drafts() {
  const { t } = useTranslation();
  const drafts = useReleaseList({ state: 'draft' });
  const items = uniqueItems(drafts.data?.pages);
  if (!items.length) return null;
  return (
    <section className="release-drafts" aria-labelledby="release-drafts-heading" data-testid="release-drafts">
      <h2 id="release-drafts-heading" className="small-heading">
        {t('releases.drafts')}
      </h2>
      <ul className="release-draft-list">
        {items.map((r) => (
          <li key={r.id}>
            <Link to={`/releases/${r.id}`}>
              {t('releases.title', { version: r.version, channel: t(`releases.channel.${r.channel}`) })}
            </Link>{' '}
            <span className="muted">{r.date}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The changelog: published releases newest first, with their ideas and votes; the feed and calendar. */
export function ChangelogPage() {
  const { t } = useTranslation();
  usePageTitle(t('releases.changelog'));
  const { data: me } = useMe();
  const [params] = useSearchParams();
  const raw = params.get('channel');
  const channel: ReleaseChannel | undefined = raw === 'beta' || raw === 'stable' ? raw : undefined;
  const list = useReleaseList({ channel });
  const items = uniqueItems(list.data?.pages);
  return (
    <section className="releases-page">
      <div className="section-head">
        <h1>{t('releases.changelog')}</h1>
        <p className="actions">
          <Link
            to="/releases/calendar"
            className="button button-small button-secondary"
            data-testid="release-calendar-link"
          >
            {t('releases.calendar')}
          </Link>
          <a href="/api/releases.atom" className="button button-small button-secondary" data-testid="release-feed-link">
            {t('releases.feed')}
          </a>
          {me?.canPublishReleases ? (
            <Link to="/releases/new" className="button button-small" data-testid="new-release">
              {t('releases.new')}
            </Link>
          ) : null}
        </p>
      </div>
      <nav className="tabs" aria-label={t('releases.channelFilter')}>
        {CHANNELS.map((c) => (
          <Link
            key={c}
            to={c === 'all' ? '/releases' : `/releases?channel=${c}`}
            className="tab"
            aria-current={(channel ?? 'all') === c ? 'page' : undefined}
          >
            {c === 'all' ? t('releases.allChannels') : t(`releases.channel.${c}`)}
          </Link>
        ))}
      </nav>
      {me?.canPublishReleases ? <Drafts /> : null}
      {list.isPending ? <Loading /> : null}
      {list.isError && !list.data ? <LoadError error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.isSuccess && items.length === 0 ? (
        <EmptyState>
          <p>{t('releases.empty')}</p>
        </EmptyState>
      ) : null}
      <div className="release-list" data-testid="release-list">
        {items.map((release) => (
          <ReleaseCard key={release.id} release={release} />
        ))}
      </div>
      <LoadMore
        hasMore={list.hasNextPage}
        loading={list.isFetchingNextPage}
        onLoad={() => void list.fetchNextPage()}
        testId="load-more-releases"
      />
    </section>
  );
}
