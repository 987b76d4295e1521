import {
  type FlagReason,
  flagReasons,
  type HoldReason,
  holdReasons,
  type ReviewActionBody,
  type Reviewable,
  type ReviewableStatus,
  type ReviewableType,
  reviewableStatuses,
  reviewableTypes,
} from '@fanlab/shared';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useMe } from '../account/useMe';
import { getReviewable } from '../api/moderation';
import { Cooked } from '../components/Cooked';
import { FormError } from '../components/FormError';
import { RelativeTime } from '../components/RelativeTime';
import { usePageTitle } from '../components/usePageTitle';
import { errorMessage } from '../i18n/errorMessage';
import { UserLink } from '../users/UserLink';
import { BetaApplicationReview } from './BetaApplicationReview';
import { SanctionFields } from './SanctionFields';
import { reviewKey, useClaim, useDecide, useReviewQueue } from './useReview';

function SilenceForm({ onSubmit, pending }: { onSubmit: (days: number, reason: string) => void; pending: boolean }) {
  const { t } = useTranslation();
  const [days, setDays] = useState(3);
  const [reason, setReason] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim()) onSubmit(days, reason.trim());
  };
  return (
    <form className="silence-form" data-testid="silence-form" onSubmit={submit}>
      <SanctionFields days={days} reason={reason} onDays={setDays} onReason={setReason} />
      <button type="submit" className="button button-small button-danger" disabled={pending || !reason.trim()}>
        {t('review.silenceSubmit')}
      </button>
    </form>
  );
}

function ReviewItem({ item, meId }: { item: Reviewable; meId: number }) {
  const { t } = useTranslation();
  const decide = useDecide();
  const claim = useClaim();
  const [silencing, setSilencing] = useState(false);
  const [expanded, setExpanded] = useState(false);
  // the queue carries the post's excerpt and the newest few flags; the item itself has the whole
  // post and every flag
  const detail = useQuery({
    queryKey: [...reviewKey, 'item', item.id, item.version, item.flagCount],
    queryFn: () => getReviewable(item.id),
    enabled: expanded,
  });
  const act = (body: Omit<ReviewActionBody, 'version'>) =>
    decide.mutate({ id: item.id, body: { ...body, version: item.version } });
  const pending = item.status === 'pending';
  const claimedByOther = item.claimedBy !== null && item.claimedBy.id !== meId;
  const busy = decide.isPending || claim.isPending;
  const disabled = busy || claimedByOther;
  const held = item.held;
  const threadPath =
    item.thread.id === null
      ? null
      : item.post.postNumber === null
        ? `/t/${item.thread.id}`
        : `/t/${item.thread.id}/${item.post.postNumber}`;
  return (
    <li
      className={`review-item card${held ? ' review-item-held' : ''}`}
      data-testid="review-item"
      data-reviewable-id={item.id}
      data-post-id={item.post.id ?? ''}
      data-type={item.type}
    >
      {held ? (
        <p className="review-held" data-testid="review-held">
          <strong>{held.kind === 'thread' ? t('review.held.thread') : t('review.held.reply')}</strong> ·{' '}
          {t(`review.held.reason.${held.reason}`)}
        </p>
      ) : null}
      <header className="review-item-header">
        {threadPath ? <Link to={threadPath}>{item.thread.title}</Link> : <strong>{item.thread.title}</strong>}{' '}
        <span className="muted">
          {t('review.in', { category: item.thread.category?.name ?? t('review.noCategory') })}
          {item.post.postNumber !== null ? ` · #${item.post.postNumber}` : ''} ·{' '}
          {t('review.by', { username: item.post.author.username })}
          {item.post.hidden ? ` · ${t('review.hiddenPost')}` : ''}
          {item.post.deleted ? ` · ${t('review.deletedPost')}` : ''}
        </span>
      </header>
      {detail.data ? (
        <Cooked html={detail.data.post.cooked} className="cooked review-post" />
      ) : (
        <p className="review-excerpt" data-testid="review-excerpt">
          {item.post.excerpt || <span className="muted">{t('review.emptyExcerpt')}</span>}{' '}
          <button
            type="button"
            className="link-button"
            data-testid="review-whole-post"
            disabled={expanded}
            onClick={() => setExpanded(true)}
          >
            {t('review.wholePost')}
          </button>
        </p>
      )}
      {held ? (
        <p className="review-summary">
          <RelativeTime date={item.createdAt} />
        </p>
      ) : (
        <p className="review-summary">
          <strong>{t(`flag.reason.${item.topReason as FlagReason}`)}</strong> ·{' '}
          {t('review.flags', { count: item.flagCount })} ·{' '}
          {t('review.score', { score: Math.round(item.score * 100) / 100 })} · <RelativeTime date={item.createdAt} />
        </p>
      )}
      <p className="review-reasons" data-testid="review-reasons">
        {item.reasons
          .map((r) => t('review.reasonCount', { reason: t(`flag.reason.${r.reason}`), count: r.count }))
          .join(' · ')}
      </p>
      <ul className="review-flags">
        {(detail.data?.flags ?? item.flags).map((f) => (
          <li key={`${f.user.id}-${f.createdAt}`}>
            <UserLink username={f.user.username} />: {t(`flag.reason.${f.reason}`)}
            {f.duplicateOf ? (
              <>
                {' '}
                → <Link to={`/t/${f.duplicateOf.id}`}>{f.duplicateOf.title}</Link>
              </>
            ) : null}
            {f.message ? <q className="review-flag-message">{f.message}</q> : null}
          </li>
        ))}
      </ul>
      {item.flagCount > item.flags.length && !detail.data ? (
        <button
          type="button"
          className="link-button"
          data-testid="review-all-flags"
          disabled={expanded}
          onClick={() => setExpanded(true)}
        >
          {t('review.allFlags', { count: item.flagCount })}
        </button>
      ) : null}
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
      <FormError
        message={decide.error ? errorMessage(t, decide.error) : claim.error ? errorMessage(t, claim.error) : null}
      />
      {pending && held ? (
        <div className="review-actions">
          <button
            type="button"
            className="button button-small"
            data-testid="review-approve"
            disabled={disabled}
            onClick={() => act({ action: 'approve' })}
          >
            {t('review.approve')}
          </button>
          <button
            type="button"
            className="button button-small button-danger-outline"
            data-testid="review-reject"
            disabled={disabled}
            onClick={() => act({ action: 'reject' })}
          >
            {t('review.reject')}
          </button>
          <button
            type="button"
            className="button button-small button-danger-outline"
            data-testid="review-reject-silence"
            aria-expanded={silencing}
            disabled={disabled}
            onClick={() => setSilencing((s) => !s)}
          >
            {t('review.rejectSilence')}
          </button>
          <button
            type="button"
            className="button button-small button-secondary"
            data-testid="review-defer"
            disabled={disabled}
            onClick={() => act({ action: 'defer' })}
          >
            {t('review.defer')}
          </button>
        </div>
      ) : null}
      {pending && !held ? (
        <div className="review-actions">
          <button
            type="button"
            className="button button-small"
            data-testid="review-agree"
            disabled={busy || claimedByOther}
            onClick={() => act({ action: 'agree' })}
          >
            {t('review.agree')}
          </button>
          <button
            type="button"
            className="button button-small button-danger-outline"
            data-testid="review-agree-delete"
            disabled={busy || claimedByOther || item.post.deleted}
            onClick={() => act({ action: 'agree', deletePost: true })}
          >
            {t('review.agreeDelete')}
          </button>
          <button
            type="button"
            className="button button-small button-danger-outline"
            data-testid="review-agree-silence"
            aria-expanded={silencing}
            disabled={busy || claimedByOther}
            onClick={() => setSilencing((s) => !s)}
          >
            {t('review.agreeSilence')}
          </button>
          <button
            type="button"
            className="button button-small button-secondary"
            data-testid="review-disagree"
            disabled={busy || claimedByOther}
            onClick={() => act({ action: 'disagree' })}
          >
            {t('review.disagree')}
          </button>
          <button
            type="button"
            className="button button-small button-secondary"
            data-testid="review-ignore"
            disabled={busy || claimedByOther}
            onClick={() => act({ action: 'ignore' })}
          >
            {t('review.ignore')}
          </button>
          <button
            type="button"
            className="button button-small button-secondary"
            data-testid="review-defer"
            disabled={busy || claimedByOther}
            onClick={() => act({ action: 'defer' })}
          >
            {t('review.defer')}
          </button>
          {item.claimedBy?.id === meId ? (
            <button
              type="button"
              className="link-button"
              disabled={busy}
              onClick={() => claim.mutate({ id: item.id, claim: false })}
            >
              {t('review.unclaim')}
            </button>
          ) : !item.claimedBy ? (
            <button
              type="button"
              className="link-button"
              data-testid="review-claim"
              disabled={busy}
              onClick={() => claim.mutate({ id: item.id, claim: true })}
            >
              {t('review.claim')}
            </button>
          ) : null}
        </div>
      ) : null}
      {silencing && pending ? (
        <SilenceForm
          pending={busy}
          onSubmit={(days, reason) =>
            act({ action: held ? 'reject' : 'agree', sanction: { kind: 'silence', days, reason } })
          }
        />
      ) : null}
    </li>
  );
}

/** The moderators' one queue of everything that needs a decision. */
export function ReviewQueuePage() {
  const { t } = useTranslation();
  usePageTitle(t('review.title'));
  const { data: me } = useMe();
  const [status, setStatus] = useState<ReviewableStatus>('pending');
  const [reason, setReason] = useState<FlagReason | HoldReason | ''>('');
  // a program's managers arrive with ?type=beta_application&program=<id>
  const [params] = useSearchParams();
  const typeParam = params.get('type');
  const programParam = Number(params.get('program'));
  const program = Number.isSafeInteger(programParam) && programParam > 0 ? programParam : undefined;
  const [type, setType] = useState<ReviewableType | ''>(
    (reviewableTypes as readonly (string | null)[]).includes(typeParam) ? (typeParam as ReviewableType) : '',
  );
  const queue = useReviewQueue({
    status,
    ...(reason ? { reason } : {}),
    ...(type ? { type } : {}),
    ...(program ? { program } : {}),
  });
  if (!me?.canReview) {
    return (
      <section>
        <h1>{t('review.title')}</h1>
        <p className="notice">{t('review.forbidden')}</p>
      </section>
    );
  }
  const items = queue.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="review-page">
      <h1>{t('review.title')}</h1>
      <div className="review-filters">
        <label>
          {t('review.statusLabel')}{' '}
          <select
            data-testid="review-status"
            value={status}
            onChange={(e) => setStatus(e.target.value as ReviewableStatus)}
          >
            {reviewableStatuses.map((s) => (
              <option key={s} value={s}>
                {t(`review.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('review.typeLabel')}{' '}
          <select
            data-testid="review-type"
            value={type}
            onChange={(e) => setType(e.target.value as ReviewableType | '')}
          >
            <option value="">{t('review.allTypes')}</option>
            {reviewableTypes.map((ty) => (
              <option key={ty} value={ty}>
                {t(`review.types.${ty}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('review.reasonLabel')}{' '}
          <select value={reason} onChange={(e) => setReason(e.target.value as FlagReason | HoldReason | '')}>
            <option value="">{t('review.allReasons')}</option>
            {flagReasons.map((r) => (
              <option key={r} value={r}>
                {t(`flag.reason.${r}`)}
              </option>
            ))}
            {holdReasons.map((r) => (
              <option key={r} value={r}>
                {t(`review.held.reason.${r}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <FormError message={queue.error ? errorMessage(t, queue.error) : null} />
      {queue.isSuccess && items.length === 0 ? (
        <p className="empty" data-testid="review-empty">
          {reason || type || program || status !== 'pending' ? t('review.emptyFiltered') : t('review.empty')}
        </p>
      ) : null}
      <ul className="review-list">
        {items.map((item) =>
          item.type === 'beta_application' ? (
            <BetaApplicationReview key={item.id} item={item} meId={me.id} />
          ) : (
            <ReviewItem key={item.id} item={item} meId={me.id} />
          ),
        )}
      </ul>
      {queue.hasNextPage ? (
        <button
          type="button"
          className="button button-secondary"
          disabled={queue.isFetchingNextPage}
          onClick={() => void queue.fetchNextPage()}
        >
          {t('review.loadMore')}
        </button>
      ) : null}
    </section>
  );
}
