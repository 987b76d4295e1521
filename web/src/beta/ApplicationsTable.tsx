import {
  BETA_REASON_MAX,
  type BetaApplication,
  type BetaApplicationListQuery,
  type BetaApplicationStatus,
  type BetaDecision,
  type BetaProgram,
  betaApplicationStatuses,
} from '@fanlab/shared';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { betaTestersCsvUrl } from '../api/beta';
import { EmptyState } from '../components/EmptyState';
import { FormError } from '../components/FormError';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { LoadMore } from '../components/LoadMore';
import { RelativeTime } from '../components/RelativeTime';
import { uniqueItems } from '../forum/flatten';
import { errorMessage } from '../i18n/errorMessage';
import { UserLink } from '../users/UserLink';
import { ApplicationStatusBadge } from './Badges';
import { useDecideApplication } from './mutations';
import { fromLocalInput } from './programForm';
import { useBetaApplications } from './useBeta';

/** The decisions an application in this status can take (the server's life cycle, shown as buttons). */
export const decisionsFor: Record<BetaApplicationStatus, readonly BetaDecision[]> = {
  pending: ['accept', 'waitlist', 'reject'],
  waitlisted: ['accept', 'reject'],
  rejected: ['accept', 'waitlist'],
  accepted: ['remove'],
  withdrawn: [],
  removed: [],
};

interface Filters {
  status: BetaApplicationStatus | '';
  device: string;
  region: string;
  minScore: string;
  maxScore: string;
  /** `date` inputs: from that day's start, to the next day's start (both in the reader's time zone). */
  appliedFrom: string;
  appliedTo: string;
}

const noFilters: Filters = {
  status: '',
  device: '',
  region: '',
  minScore: '',
  maxScore: '',
  appliedFrom: '',
  appliedTo: '',
};

/** The filters as the API's query (empty ones left out; a "to" day includes that whole day). */
export function applicationQuery(filters: Filters): Omit<BetaApplicationListQuery, 'cursor' | 'limit'> {
  const score = (text: string) => (/^\d{1,2}$/.test(text.trim()) ? Number(text.trim()) : undefined);
  const dayAfter = (day: string) => {
    const d = new Date(`${day}T00:00`);
    if (Number.isNaN(d.getTime())) return undefined;
    d.setDate(d.getDate() + 1);
    return d.toISOString();
  };
  const query: Omit<BetaApplicationListQuery, 'cursor' | 'limit'> = {};
  if (filters.status) query.status = filters.status;
  if (filters.device) query.device = filters.device;
  if (filters.region.trim()) query.region = filters.region.trim();
  const min = score(filters.minScore);
  const max = score(filters.maxScore);
  if (min !== undefined) query.minScore = min;
  if (max !== undefined) query.maxScore = max;
  const from = filters.appliedFrom ? (fromLocalInput(`${filters.appliedFrom}T00:00`) ?? undefined) : undefined;
  const to = filters.appliedTo ? dayAfter(filters.appliedTo) : undefined;
  if (from) query.appliedFrom = from;
  if (to) query.appliedTo = to;
  return query;
}

/** The reason a decision needs (the applicant is told), then the decision. */
function DecisionForm({
  application,
  action,
  onDone,
}: {
  application: BetaApplication;
  action: BetaDecision;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const decide = useDecideApplication(application.programId);
  const [reason, setReason] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) return;
    decide.mutate({ id: application.id, body: { action, reason: reason.trim() } }, { onSuccess: onDone });
  };
  return (
    <form className="beta-decision" data-testid="decision-form" onSubmit={submit}>
      <label htmlFor={`${id}-reason`}>
        {t('beta.applications.reasonFor', {
          action: t(`beta.applications.decision.${action}`),
          username: application.user.username,
        })}
      </label>
      <textarea
        id={`${id}-reason`}
        data-testid="decision-reason"
        rows={2}
        maxLength={BETA_REASON_MAX}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      <FormError message={decide.error ? errorMessage(t, decide.error) : null} />
      <p className="actions">
        <button
          type="submit"
          className={
            action === 'reject' || action === 'remove' ? 'button button-small button-danger' : 'button button-small'
          }
          data-testid="decision-submit"
          disabled={decide.isPending || !reason.trim()}
        >
          {t(`beta.applications.decision.${action}`)}
        </button>
        <button type="button" className="button button-small button-secondary" onClick={onDone}>
          {t('beta.applications.cancel')}
        </button>
      </p>
    </form>
  );
}

function ApplicationRow({ application, hasQuiz }: { application: BetaApplication; hasQuiz: boolean }) {
  const { t } = useTranslation();
  const [deciding, setDeciding] = useState<BetaDecision | null>(null);
  const a = application;
  const decisions = decisionsFor[a.status];
  return (
    <>
      <tr
        data-testid="application-row"
        data-application-id={a.id}
        data-username={a.user.username}
        data-status={a.status}
      >
        <th scope="row" data-label={t('beta.applications.user')}>
          <UserLink username={a.user.username} />
        </th>
        <td data-label={t('beta.applications.status')}>
          <ApplicationStatusBadge status={a.status} />
          {a.waitlistPosition !== null ? (
            <> {t('beta.applications.position', { position: a.waitlistPosition })}</>
          ) : null}
          {a.reviewableId !== null && a.status === 'pending' ? (
            <>
              {' '}
              <Link to={`/review?type=beta_application&program=${a.programId}`}>{t('beta.applications.inQueue')}</Link>
            </>
          ) : null}
        </td>
        <td data-label={t('beta.applications.tester')} data-field="tester">
          {a.testerNumber !== null ? `#${a.testerNumber}` : '–'}
        </td>
        <td data-label={t('beta.applications.device')}>{a.deviceModel}</td>
        <td data-label={t('beta.applications.region')}>{a.region}</td>
        {hasQuiz ? <td data-label={t('beta.applications.score')}>{a.quizScore ?? '–'}</td> : null}
        <td data-label={t('beta.applications.applied')}>
          <RelativeTime date={a.appliedAt} />
        </td>
        <td data-label={t('beta.applications.decided')}>
          {a.decidedAt ? (
            <>
              <RelativeTime date={a.decidedAt} />
              {a.decidedBy ? <> · {a.decidedBy.username}</> : null}
            </>
          ) : (
            '–'
          )}
          {a.reason ? <span className="beta-reason muted">“{a.reason}”</span> : null}
        </td>
        <td data-label={t('beta.applications.feedback')} data-field="feedback">
          {a.feedbackCount}
        </td>
        <td data-label={t('beta.applications.lastSeen')}>
          {a.lastSeenAt ? <RelativeTime date={a.lastSeenAt} /> : '–'}
        </td>
        <td data-label={t('beta.applications.actions')}>
          <div className="beta-row-actions">
            {decisions.map((action) => (
              <button
                key={action}
                type="button"
                className="button button-small button-secondary"
                data-testid={`decide-${action}`}
                aria-expanded={deciding === action}
                onClick={() => setDeciding(deciding === action ? null : action)}
              >
                {t(`beta.applications.decision.${action}`)}
              </button>
            ))}
          </div>
        </td>
      </tr>
      {deciding ? (
        <tr className="beta-decision-row">
          <td colSpan={hasQuiz ? 11 : 10}>
            <DecisionForm application={a} action={deciding} onDone={() => setDeciding(null)} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

/** The program's applications with filters, "load more", decisions and the testers' CSV. */
export function ApplicationsTable({ program }: { program: BetaProgram }) {
  const { t } = useTranslation();
  const id = useId();
  const [filters, setFilters] = useState<Filters>(noFilters);
  const set = (key: keyof Filters, value: string) => setFilters((all) => ({ ...all, [key]: value }));
  const list = useBetaApplications(program.id, applicationQuery(filters));
  const applications = uniqueItems(list.data?.pages);
  const hasQuiz = program.quiz !== null;
  const filtered = JSON.stringify(filters) !== JSON.stringify(noFilters);
  return (
    <section className="beta-applications" aria-labelledby={`${id}-heading`} data-testid="applications">
      <div className="section-head">
        <h2 id={`${id}-heading`}>{t('beta.applications.heading')}</h2>
        <a
          href={betaTestersCsvUrl(program.id)}
          className="button button-small button-secondary"
          download
          data-testid="testers-csv"
        >
          {t('beta.applications.csv')}
        </a>
      </div>
      <form className="admin-filters" onSubmit={(e) => e.preventDefault()} data-testid="application-filters">
        <div className="field">
          <label htmlFor={`${id}-status`}>{t('beta.applications.status')}</label>
          <select
            id={`${id}-status`}
            data-testid="filter-status"
            value={filters.status}
            onChange={(e) => set('status', e.target.value)}
          >
            <option value="">{t('beta.applications.anyStatus')}</option>
            {betaApplicationStatuses.map((s) => (
              <option key={s} value={s}>
                {t(`beta.status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-device`}>{t('beta.applications.device')}</label>
          <select
            id={`${id}-device`}
            data-testid="filter-device"
            value={filters.device}
            onChange={(e) => set('device', e.target.value)}
          >
            <option value="">{t('beta.applications.anyDevice')}</option>
            {program.devices.map((d) => (
              <option key={d.model} value={d.model}>
                {d.model}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-region`}>{t('beta.applications.region')}</label>
          {program.regions.length ? (
            <select
              id={`${id}-region`}
              data-testid="filter-region"
              value={filters.region}
              onChange={(e) => set('region', e.target.value)}
            >
              <option value="">{t('beta.applications.anyRegion')}</option>
              {program.regions.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          ) : (
            <input
              type="text"
              id={`${id}-region`}
              data-testid="filter-region"
              value={filters.region}
              maxLength={40}
              onChange={(e) => set('region', e.target.value)}
            />
          )}
        </div>
        {hasQuiz ? (
          <>
            <div className="field">
              <label htmlFor={`${id}-min`}>{t('beta.applications.minScore')}</label>
              <input
                id={`${id}-min`}
                type="number"
                min={0}
                data-testid="filter-min-score"
                value={filters.minScore}
                onChange={(e) => set('minScore', e.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor={`${id}-max`}>{t('beta.applications.maxScore')}</label>
              <input
                id={`${id}-max`}
                type="number"
                min={0}
                value={filters.maxScore}
                onChange={(e) => set('maxScore', e.target.value)}
              />
            </div>
          </>
        ) : null}
        <div className="field">
          <label htmlFor={`${id}-from`}>{t('beta.applications.appliedFrom')}</label>
          <input
            id={`${id}-from`}
            type="date"
            value={filters.appliedFrom}
            onChange={(e) => set('appliedFrom', e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>{t('beta.applications.appliedTo')}</label>
          <input
            id={`${id}-to`}
            type="date"
            value={filters.appliedTo}
            onChange={(e) => set('appliedTo', e.target.value)}
          />
        </div>
      </form>
      {list.isPending ? <Loading /> : null}
      {list.isError && !list.data ? <LoadError error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.isSuccess && applications.length === 0 ? (
        <EmptyState>
          <p>
            {filtered ? t('beta.applications.emptyFiltered') : t('beta.applications.empty')}{' '}
            {filtered ? (
              <button type="button" className="link-button" onClick={() => setFilters(noFilters)}>
                {t('beta.applications.clearFilters')}
              </button>
            ) : null}
          </p>
        </EmptyState>
      ) : null}
      {applications.length ? (
        <div className="beta-table-wrap">
          <table className="admin-table beta-app-table" data-testid="application-table">
            <thead>
              <tr>
                <th scope="col">{t('beta.applications.user')}</th>
                <th scope="col">{t('beta.applications.status')}</th>
                <th scope="col">{t('beta.applications.tester')}</th>
                <th scope="col">{t('beta.applications.device')}</th>
                <th scope="col">{t('beta.applications.region')}</th>
                {hasQuiz ? <th scope="col">{t('beta.applications.score')}</th> : null}
                <th scope="col">{t('beta.applications.applied')}</th>
                <th scope="col">{t('beta.applications.decided')}</th>
                <th scope="col">{t('beta.applications.feedback')}</th>
                <th scope="col">{t('beta.applications.lastSeen')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('beta.applications.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {applications.map((application) => (
                <ApplicationRow key={application.id} application={application} hasQuiz={hasQuiz} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {list.isFetchNextPageError ? <LoadError error={list.error} onRetry={() => void list.fetchNextPage()} /> : null}
      <LoadMore
        hasMore={list.hasNextPage}
        loading={list.isFetchingNextPage}
        onLoad={() => void list.fetchNextPage()}
        label={t('beta.applications.loadMore')}
        testId="load-more-applications"
      />
    </section>
  );
}
