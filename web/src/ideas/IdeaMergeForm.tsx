import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormError } from '../components/FormError';
import { errorMessage } from '../i18n/errorMessage';
import { IdeaStatusBadge } from './IdeaStatusBadge';
import { useMergeIdea, useUnmergeIdea } from './mutations';
import { useDebounced } from './useDebounced';
import { SIMILAR_MIN, useSimilarIdeas } from './useIdeas';

const SEARCH_DELAY_MS = 250;

interface Target {
  id: number;
  title: string | null;
}

/** "123" or "#123": an idea number typed directly. */
function typedId(text: string): number | null {
  const match = /^#?(\d{1,10})$/.exec(text.trim());
  const id = match ? Number(match[1]) : Number.NaN;
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** Staff: merges this idea (and its votes) into another one, found by title or number. */
export function IdeaMergeForm({ ideaId }: { ideaId: number }) {
  const { t } = useTranslation();
  const inputId = useId();
  const [search, setSearch] = useState('');
  const [target, setTarget] = useState<Target | null>(null);
  const query = useDebounced(search, SEARCH_DELAY_MS);
  const byNumber = typedId(query);
  const similar = useSimilarIdeas(byNumber === null ? query : '');
  const merge = useMergeIdea(ideaId);
  const options: Target[] =
    byNumber !== null
      ? [{ id: byNumber, title: null }]
      : query.trim().length >= SIMILAR_MIN
        ? (similar.data ?? []).map((idea) => ({ id: idea.id, title: idea.title }))
        : [];
  const candidates = options.filter((option) => option.id !== ideaId);
  const statuses = new Map((similar.data ?? []).map((idea) => [idea.id, idea.status]));

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (target) merge.mutate(target.id);
  };

  const label = (option: Target) => option.title ?? t('ideas.tools.mergeById', { id: option.id });

  return (
    <form className="form idea-merge-form" onSubmit={onSubmit} noValidate data-testid="merge-form">
      <h3>{t('ideas.tools.mergeHeading')}</h3>
      <p className="field-hint">{t('ideas.tools.mergeExplain')}</p>
      <FormError message={merge.error ? errorMessage(t, merge.error) : null} />
      <div className="field">
        <label htmlFor={inputId}>{t('ideas.tools.mergeSearch')}</label>
        <input
          id={inputId}
          type="text"
          data-testid="merge-target"
          autoComplete="off"
          placeholder={t('ideas.tools.mergeHint')}
          value={search}
          onChange={(event) => {
            setSearch(event.target.value);
            setTarget(null);
          }}
        />
      </div>
      {candidates.length ? (
        <ul className="merge-options" aria-label={t('ideas.tools.mergeOptions')}>
          {candidates.map((option) => {
            const status = statuses.get(option.id);
            return (
              <li key={option.id}>
                <button
                  type="button"
                  className="merge-option"
                  data-testid="merge-option"
                  data-idea-id={option.id}
                  aria-pressed={target?.id === option.id}
                  onClick={() => setTarget(option)}
                >
                  <span className="merge-option-title">{label(option)}</span>
                  <span className="notice">#{option.id}</span>
                  {status ? <IdeaStatusBadge status={status} /> : null}
                </button>
              </li>
            );
          })}
        </ul>
      ) : query.trim().length >= SIMILAR_MIN && similar.isSuccess && !similar.isPlaceholderData ? (
        <p className="notice">{t('ideas.tools.mergeNoResults')}</p>
      ) : null}
      <p className="actions">
        <button
          type="submit"
          className="button button-small button-danger"
          data-testid="merge-submit"
          disabled={!target || merge.isPending}
        >
          {merge.isPending
            ? t('ideas.tools.merging')
            : target
              ? t('ideas.tools.mergeInto', { title: label(target) })
              : t('ideas.tools.mergeSubmit')}
        </button>
      </p>
    </form>
  );
}

/** Staff: undoes the merge of this idea, giving both ideas their votes back. */
export function UnmergeButton({ ideaId }: { ideaId: number }) {
  const { t } = useTranslation();
  const unmerge = useUnmergeIdea(ideaId);
  return (
    <div className="idea-unmerge">
      <FormError message={unmerge.error ? errorMessage(t, unmerge.error) : null} />
      <button
        type="button"
        className="button button-small button-secondary"
        data-testid="unmerge"
        disabled={unmerge.isPending}
        onClick={() => unmerge.mutate()}
      >
        {unmerge.isPending ? t('ideas.tools.unmerging') : t('ideas.tools.unmerge')}
      </button>
    </div>
  );
}
