import { BETA_REASON_MAX, type ReviewActionBody, type Reviewable } from '@fanlab/shared';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { FormError } from '../components/FormError';
import { RelativeTime } from '../components/RelativeTime';
import { errorMessage } from '../i18n/errorMessage';
import { UserLink } from '../users/UserLink';
import { useDecide } from './useReview';

/**
 * A `beta_application` item of the queue: who applied to which program, with what device,
 * region and quiz score, how many seats their model has left; accept, waitlist, reject (with an
 * optional reason the applicant reads) or defer.
 */
export function BetaApplicationReview({ item, meId }: { item: Reviewable; meId: number }) {
  const { t } = useTranslation();
  const id = useId();
  const decide = useDecide();
  const [reason, setReason] = useState('');
  const application = item.application;
  if (!application) return null;
  const pending = item.status === 'pending';
  const claimedByOther = item.claimedBy !== null && item.claimedBy.id !== meId;
  const disabled = decide.isPending || claimedByOther;
  const act = (action: ReviewActionBody['action']) =>
    decide.mutate({
      id: item.id,
      body: {
        action,
        version: item.version,
        ...(reason.trim() && action !== 'defer' ? { reason: reason.trim() } : {}),
      },
    });
  const passed =
    application.quizScore !== null && application.passMark !== null
      ? application.quizScore >= application.passMark
      : null;
  return (
    <li
      className="review-item review-item-beta card"
      data-testid="review-item"
      data-reviewable-id={item.id}
      data-type={item.type}
      data-application-id={application.id}
    >
      <p className="review-held">
        <strong>{t('review.beta.kind')}</strong> ·{' '}
        <Link to={`/beta/${application.program.slug}`} data-testid="review-beta-program">
          {application.program.name}
        </Link>
      </p>
      <header className="review-item-header">
        <UserLink username={item.post.author.username} />{' '}
        <span className="muted">
          · <RelativeTime date={item.createdAt} />
        </span>
      </header>
      <dl className="details review-beta-details">
        <dt>{t('review.beta.device')}</dt>
        <dd data-testid="review-beta-device">{application.deviceModel}</dd>
        <dt>{t('review.beta.region')}</dt>
        <dd>{application.region}</dd>
        {application.quizScore !== null ? (
          <>
            <dt>{t('review.beta.quiz')}</dt>
            <dd data-testid="review-beta-score">
              {t('review.beta.score', { score: application.quizScore, passMark: application.passMark ?? 0 })}
              {passed === false ? <> · {t('review.beta.belowPass')}</> : null}
            </dd>
          </>
        ) : null}
        <dt>{t('review.beta.seatsLeft')}</dt>
        <dd data-testid="review-beta-seats">{application.seatsLeft}</dd>
      </dl>
      {item.claimedBy && pending ? (
        <p className="notice" data-testid="claimed-by">
          {t('review.claimedBy', { username: item.claimedBy.username })}
        </p>
      ) : null}
      {!pending && item.decidedBy ? (
        <p className="notice">
          {t('review.decidedBy', { status: t(`review.status.${item.status}`), username: item.decidedBy.username })}
        </p>
      ) : null}
      <FormError message={decide.error ? errorMessage(t, decide.error) : null} />
      {pending ? (
        <>
          <div className="field">
            <label htmlFor={`${id}-reason`}>{t('review.beta.reason')}</label>
            <input
              type="text"
              id={`${id}-reason`}
              data-testid="review-beta-reason"
              maxLength={BETA_REASON_MAX}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </div>
          <div className="review-actions">
            <button
              type="button"
              className="button button-small"
              data-testid="review-accept"
              disabled={disabled || application.seatsLeft <= 0}
              title={application.seatsLeft <= 0 ? t('review.beta.noSeats') : undefined}
              onClick={() => act('accept')}
            >
              {t('review.beta.accept')}
            </button>
            <button
              type="button"
              className="button button-small button-secondary"
              data-testid="review-waitlist"
              disabled={disabled}
              onClick={() => act('waitlist')}
            >
              {t('review.beta.waitlist')}
            </button>
            <button
              type="button"
              className="button button-small button-danger-outline"
              data-testid="review-reject"
              disabled={disabled}
              onClick={() => act('reject')}
            >
              {t('review.beta.reject')}
            </button>
            <button
              type="button"
              className="button button-small button-secondary"
              data-testid="review-defer"
              disabled={disabled}
              onClick={() => act('defer')}
            >
              {t('review.defer')}
            </button>
          </div>
          {application.seatsLeft <= 0 ? <p className="field-hint">{t('review.beta.noSeats')}</p> : null}
        </>
      ) : null}
    </li>
  );
}
