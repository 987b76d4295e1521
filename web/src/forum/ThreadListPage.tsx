import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { SignInPrompt } from '../account/SignInPrompt';
import { useMe } from '../account/useMe';
import { Loading } from '../components/Loading';
import { usePageTitle } from '../components/usePageTitle';
import { categoriesById } from './categoryTree';
import { FeedTabs } from './FeedTabs';
import { ThreadFeed } from './ThreadFeed';
import { useCategories } from './useCategories';

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
