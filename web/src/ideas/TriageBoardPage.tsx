import { type IdeaStatus, type IdeaSummary, ideaStatuses } from '@fanlab/shared';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMe } from '../account/useMe';
import { listIdeas, setIdeaStatuses } from '../api/ideas';
import { FormError } from '../components/FormError';
import { RelativeTime } from '../components/RelativeTime';
import { usePageTitle } from '../components/usePageTitle';
import { useCategories } from '../forum/useCategories';
import { errorMessage } from '../i18n/errorMessage';
import { ideaKeys } from './queryKeys';

/** The statuses a board shows as columns (duplicates are merged, not triaged). */
const COLUMNS = ideaStatuses.filter((s) => s !== 'duplicate');

interface Filter {
  category?: string;
  minAgeDays?: number;
}

function Column({
  status,
  filter,
  selected,
  toggle,
}: {
  status: IdeaStatus;
  filter: Filter;
  selected: ReadonlySet<number>;
  toggle: (idea: IdeaSummary) => void;
}) {
  const { t } = useTranslation();
  const query = useInfiniteQuery({
    queryKey: [...ideaKeys.list({ ...filter, status, sort: 'top' }), 'triage'],
    queryFn: ({ pageParam }) => listIdeas({ ...filter, status, sort: 'top', limit: 20, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const ideas = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section
      className="triage-column"
      data-testid="triage-column"
      data-status={status}
      aria-label={t(`ideas.status.${status}`)}
    >
      <h2>
        {t(`ideas.status.${status}`)}{' '}
        <span className="muted">{query.isSuccess ? ideas.length + (query.hasNextPage ? '+' : '') : ''}</span>
      </h2>
      <FormError message={query.error ? errorMessage(t, query.error) : null} />
      {query.isSuccess && ideas.length === 0 ? <p className="empty">{t('triage.emptyColumn')}</p> : null}
      <ul>
        {ideas.map((idea) => (
          <li key={idea.id} className="triage-card" data-testid="triage-card" data-idea-id={idea.id}>
            <label>
              <input type="checkbox" checked={selected.has(idea.id)} onChange={() => toggle(idea)} />{' '}
              <span className="visually-hidden">{t('triage.select')}</span>
            </label>
            <div>
              <Link to={`/t/${idea.id}`}>{idea.title}</Link>
              <p className="muted triage-meta">
                {t('triage.votes', { count: idea.voteCount })} · <RelativeTime date={idea.createdAt} />
              </p>
            </div>
          </li>
        ))}
      </ul>
      {query.hasNextPage ? (
        <button
          type="button"
          className="link-button"
          disabled={query.isFetchingNextPage}
          onClick={() => void query.fetchNextPage()}
        >
          {t('review.loadMore')}
        </button>
      ) : null}
    </section>
  );
}

/** Moderators' and product managers' board: ideas by status; move one or many with an official response. */
export function TriageBoardPage() {
  const { t } = useTranslation();
  usePageTitle(t('triage.title'));
  const { data: me } = useMe();
  const { data: categories } = useCategories();
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState<Filter>({});
  const [selected, setSelected] = useState<Map<number, IdeaSummary>>(new Map());
  const [target, setTarget] = useState<IdeaStatus>('under_review');
  const [response, setResponse] = useState('');
  const move = useMutation({
    mutationFn: () => setIdeaStatuses([...selected.keys()], target, response.trim() || undefined),
    onSuccess: () => {
      setSelected(new Map());
      setResponse('');
      void queryClient.invalidateQueries({ queryKey: ideaKeys.all });
    },
  });
  if (!me?.canTriage) {
    return (
      <section>
        <h1>{t('triage.title')}</h1>
        <p className="notice">{t('triage.forbidden')}</p>
      </section>
    );
  }
  const toggle = (idea: IdeaSummary) =>
    setSelected((current) => {
      const next = new Map(current);
      if (next.has(idea.id)) next.delete(idea.id);
      else next.set(idea.id, idea);
      return next;
    });
  const onMove = (event: FormEvent) => {
    event.preventDefault();
    if (selected.size) move.mutate();
  };
  const ideaCategories = (categories ?? []).filter((c) => c.allowIdeas);
  return (
    <section className="triage-page">
      <h1>{t('triage.title')}</h1>
      <div className="review-filters">
        <label>
          {t('triage.category')}{' '}
          <select
            value={filter.category ?? ''}
            onChange={(e) => setFilter((f) => ({ ...f, category: e.target.value || undefined }))}
          >
            <option value="">{t('triage.allCategories')}</option>
            {ideaCategories.map((c) => (
              <option key={c.id} value={c.slug}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('triage.age')}{' '}
          <select
            data-testid="triage-age"
            value={filter.minAgeDays ?? ''}
            onChange={(e) =>
              setFilter((f) => ({ ...f, minAgeDays: e.target.value ? Number(e.target.value) : undefined }))
            }
          >
            <option value="">{t('triage.anyAge')}</option>
            {[7, 30, 90].map((days) => (
              <option key={days} value={days}>
                {t('triage.olderThan', { count: days })}
              </option>
            ))}
          </select>
        </label>
      </div>
      <form className="triage-move card" data-testid="triage-move" onSubmit={onMove}>
        <p>{t('triage.selected', { count: selected.size })}</p>
        <label>
          {t('triage.moveTo')}{' '}
          <select data-testid="triage-target" value={target} onChange={(e) => setTarget(e.target.value as IdeaStatus)}>
            {COLUMNS.map((s) => (
              <option key={s} value={s}>
                {t(`ideas.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="triage-response">
          {t('triage.response')}
          <textarea
            data-testid="triage-response"
            rows={2}
            maxLength={10_000}
            value={response}
            onChange={(e) => setResponse(e.target.value)}
          />
        </label>
        <button
          type="submit"
          className="button button-small"
          data-testid="triage-submit"
          disabled={!selected.size || move.isPending}
        >
          {t('triage.submit', { count: selected.size })}
        </button>
        <FormError message={move.error ? errorMessage(t, move.error) : null} />
      </form>
      <div className="triage-board">
        {COLUMNS.map((status) => (
          <Column key={status} status={status} filter={filter} selected={new Set(selected.keys())} toggle={toggle} />
        ))}
      </div>
    </section>
  );
}
