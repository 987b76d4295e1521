import { type AuditAction, AuditActions, type AuditLogQuery, type AuditTarget, auditTargetTypes } from '@fanlab/shared';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState } from '../components/EmptyState';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { LoadMore } from '../components/LoadMore';
import { RelativeTime } from '../components/RelativeTime';
import { categoriesById } from '../forum/categoryTree';
import { uniqueItems } from '../forum/flatten';
import { useCategories } from '../forum/useCategories';
import { auditDetails } from './auditText';
import { useAuditLog } from './useAdmin';

type Filter = Omit<AuditLogQuery, 'cursor' | 'limit'>;

/** A date input's day (local midnight) as an ISO time; `end` takes the day after, so the day is included. */
function dayStart(value: string, end = false): string | undefined {
  if (!value) return undefined;
  const [year, month, day] = value.split('-').map(Number);
  if (!year || !month || !day) return undefined;
  return new Date(year, month - 1, day + (end ? 1 : 0)).toISOString();
}

/** The Audit log tab: filters, and every staff and operator action, newest first. */
export function AuditLogTab() {
  const { t, i18n } = useTranslation();
  const [actor, setActor] = useState('');
  const [action, setAction] = useState<AuditAction | ''>('');
  const [targetType, setTargetType] = useState<AuditTarget | ''>('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [filter, setFilter] = useState<Filter>({});
  const log = useAuditLog({ ...filter, limit: 25 });
  const categories = categoriesById(useCategories().data);
  const entries = uniqueItems(log.data?.pages);
  const when = (iso: string) =>
    new Intl.DateTimeFormat(i18n.resolvedLanguage, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  const apply = (event: FormEvent) => {
    event.preventDefault();
    const next: Filter = {};
    if (actor.trim()) next.actor = actor.trim();
    if (action) next.action = action;
    if (targetType) next.targetType = targetType;
    const start = dayStart(from);
    const end = dayStart(to, true);
    if (start) next.from = start;
    if (end) next.to = end;
    setFilter(next);
  };
  const clear = () => {
    setActor('');
    setAction('');
    setTargetType('');
    setFrom('');
    setTo('');
    setFilter({});
  };

  return (
    <div className="admin-audit">
      <form className="admin-filters" data-testid="audit-filters" onSubmit={apply}>
        <div className="field">
          <label htmlFor="audit-actor">{t('admin.audit.actor')}</label>
          <input
            id="audit-actor"
            type="text"
            name="actor"
            maxLength={20}
            placeholder={t('admin.audit.actorHint')}
            value={actor}
            onChange={(e) => setActor(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="audit-action">{t('admin.audit.action')}</label>
          <select
            id="audit-action"
            name="action"
            value={action}
            onChange={(e) => setAction(e.target.value as AuditAction | '')}
          >
            <option value="">{t('admin.audit.anyAction')}</option>
            {AuditActions.map((a) => (
              <option key={a} value={a}>
                {t(`admin.audit.actions.${a}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-target">{t('admin.audit.targetType')}</label>
          <select
            id="audit-target"
            name="targetType"
            value={targetType}
            onChange={(e) => setTargetType(e.target.value as AuditTarget | '')}
          >
            <option value="">{t('admin.audit.anyTarget')}</option>
            {auditTargetTypes.map((type) => (
              <option key={type} value={type}>
                {t(`admin.audit.targetTypes.${type}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-from">{t('admin.audit.from')}</label>
          <input id="audit-from" name="from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="audit-to">{t('admin.audit.to')}</label>
          <input id="audit-to" name="to" type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </div>
        <p className="actions admin-filter-actions">
          <button type="submit" className="button button-small" data-testid="audit-apply">
            {t('admin.audit.apply')}
          </button>
          <button type="button" className="button button-small button-secondary" onClick={clear}>
            {t('admin.audit.clear')}
          </button>
        </p>
      </form>
      {log.isPending ? <Loading /> : null}
      {log.isError && !log.data ? <LoadError error={log.error} onRetry={() => void log.refetch()} /> : null}
      {log.isSuccess && entries.length === 0 ? (
        <EmptyState>
          <p>{t('admin.audit.empty')}</p>
        </EmptyState>
      ) : null}
      {entries.length > 0 ? (
        <ol className="audit-list" data-testid="audit-list">
          {entries.map((entry) => {
            const details = auditDetails(t, entry, {
              when,
              categoryName: (id) => categories.get(id)?.name,
            });
            const targetName =
              entry.targetLabel ??
              (entry.targetId === null
                ? null
                : t('admin.audit.gone', {
                    type: t(`admin.audit.targetTypes.${entry.targetType}`),
                    id: entry.targetId,
                  }));
            return (
              <li key={entry.id} className="audit-entry" data-testid="audit-entry" data-action={entry.action}>
                <p className="audit-headline">
                  {entry.actorUsername ? (
                    <Link to={`/u/${encodeURIComponent(entry.actorUsername)}`} className="audit-actor">
                      {entry.actorUsername}
                    </Link>
                  ) : (
                    <span className="audit-actor">{t('admin.audit.operator')}</span>
                  )}{' '}
                  <span data-testid="audit-action">{t(`admin.audit.actions.${entry.action}`)}</span>
                  {targetName ? (
                    <>
                      {': '}
                      {entry.targetPath ? (
                        <Link to={entry.targetPath} data-testid="audit-target">
                          {targetName}
                        </Link>
                      ) : (
                        <span data-testid="audit-target">{targetName}</span>
                      )}
                    </>
                  ) : null}
                </p>
                {details.length ? (
                  <ul className="audit-details">
                    {details.map((line) => (
                      <li key={line}>{line}</li>
                    ))}
                  </ul>
                ) : null}
                <p className="muted audit-time">
                  <time dateTime={entry.createdAt}>{when(entry.createdAt)}</time> ·{' '}
                  <RelativeTime date={entry.createdAt} />
                </p>
              </li>
            );
          })}
        </ol>
      ) : null}
      <LoadMore
        hasMore={log.hasNextPage}
        loading={log.isFetchingNextPage}
        onLoad={() => void log.fetchNextPage()}
        label={t('admin.audit.loadMore')}
      />
    </div>
  );
}
