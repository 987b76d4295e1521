import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { getRevisions } from '../api/forum';
import { LoadError } from '../components/LoadError';
import { RelativeTime } from '../components/RelativeTime';
import { forumKeys } from './queryKeys';

/** The earlier versions of a post's source, for staff. */
export function PostRevisions({ postId }: { postId: number }) {
  const { t } = useTranslation();
  const { data, error, isPending, refetch } = useQuery({
    queryKey: forumKeys.revisions(postId),
    queryFn: () => getRevisions(postId),
  });
  if (isPending) return <p className="loading">{t('app.loading')}</p>;
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  return (
    <section className="revisions" data-testid="revisions" aria-label={t('post.revisionsLabel')}>
      <p className="notice">{t('post.currentRevision', { revision: data.current })}</p>
      <ol className="revision-list">
        {data.revisions.map((revision) => (
          <li key={revision.revision}>
            <p className="revision-meta">
              {t('post.revisionBy', { revision: revision.revision, username: revision.editor.username })}{' '}
              <RelativeTime date={revision.createdAt} />
            </p>
            {revision.title ? <p className="revision-title">{revision.title}</p> : null}
            <pre className="revision-raw">{revision.raw}</pre>
          </li>
        ))}
      </ol>
    </section>
  );
}
