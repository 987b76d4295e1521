import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { FormError } from '../components/FormError';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { usePageTitle } from '../components/usePageTitle';
import { errorMessage } from '../i18n/errorMessage';
import { ReleaseCard } from './ReleaseCard';
import { useRelease, useReleaseMutations } from './useReleases';

/** One release; its writers edit, publish (with a confirmation) or delete a draft here. */
export function ReleasePage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const release = useRelease(id);
  const { publish, remove } = useReleaseMutations();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  usePageTitle(release.data ? release.data.version : t('releases.changelog'));
  if (release.isPending) return <Loading />;
  if (release.isError) return <LoadError error={release.error} onRetry={() => void release.refetch()} />;
  const r = release.data;
  const failure = publish.error ?? remove.error;
  return (
    <section className="release-page">
      <p className="breadcrumb">
        <Link to="/releases">{t('releases.changelog')}</Link>
      </p>
      <ReleaseCard release={r} linkTitle={false} />
      <FormError message={failure ? errorMessage(t, failure) : null} />
      <p className="actions">
        {r.canEdit ? (
          <Link
            to={`/releases/${r.id}/edit`}
            className="button button-small button-secondary"
            data-testid="edit-release"
          >
            {t('releases.edit')}
          </Link>
        ) : null}
        {r.canPublish && !confirming ? (
          <button
            type="button"
            className="button button-small"
            data-testid="publish-release"
            onClick={() => setConfirming(true)}
          >
            {t('releases.publish')}
          </button>
        ) : null}
        {r.canDelete ? (
          <button
            type="button"
            className="button button-small button-danger-outline"
            data-testid="delete-release"
            disabled={remove.isPending}
            onClick={() => remove.mutate(r.id, { onSuccess: () => navigate('/releases') })}
          >
            {t('releases.delete')}
          </button>
        ) : null}
      </p>
      {confirming ? (
        <div className="confirm" data-testid="publish-confirm">
          <p>
            {t(r.channel === 'stable' ? 'releases.confirmStable' : 'releases.confirmBeta', { count: r.ideas.length })}
          </p>
          <p className="actions">
            <button
              type="button"
              className="button button-small"
              data-testid="publish-confirmed"
              disabled={publish.isPending}
              onClick={() => publish.mutate(r.id, { onSettled: () => setConfirming(false) })}
            >
              {publish.isPending ? t('releases.publishing') : t('releases.publishNow')}
            </button>
            <button type="button" className="button button-small button-secondary" onClick={() => setConfirming(false)}>
              {t('releases.cancel')}
            </button>
          </p>
        </div>
      ) : null}
    </section>
  );
}
