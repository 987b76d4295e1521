import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMe } from '../auth/useMe';
import { FeedTabs } from '../components/FeedTabs';
import { Loading } from '../components/Loading';
import { SignInPrompt } from '../components/SignInPrompt';
import { ThreadFeed } from '../components/ThreadFeed';
import { usePageTitle } from '../components/usePageTitle';
import { categoriesById } from '../forum/categoryTree';
import { useCategories } from '../forum/useCategories';

export type Feed = 'latest' | 'new' | 'unread';

/** `/latest`, `/new` and `/unread`: threads across every category. */
export function ThreadListPage({ feed }: { feed: Feed }) {
  const { t } = useTranslation();
  usePageTitle(t(`feeds.${feed}`));
  const { data: me, isPending } = useMe();
  const categories = useCategories();
  const needsSignIn = feed !== 'latest';

  let content: ReactNode;
  if (needsSignIn && isPending) content = <Loading />;
  else if (needsSignIn && !me) content = <SignInPrompt message={t(`feeds.${feed}SignIn`)} />;
  else {
    content = (
      <ThreadFeed
        params={feed === 'latest' ? { sort: 'latest' } : { filter: feed }}
        badges={categoriesById(categories.data)}
        empty={
          feed === 'latest' ? (
            <p>
              {t('threadList.emptyLatest')} <Link to="/">{t('threadList.pickCategory')}</Link>
            </p>
          ) : (
            <p>{t(`feeds.${feed}Empty`)}</p>
          )
        }
      />
    );
  }

  return (
    <div className="feed-page">
      <h1>{t(`feeds.${feed}Heading`)}</h1>
      <FeedTabs />
      {content}
    </div>
  );
}
