import type { ReleaseIdea } from '@fanlab/shared';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { similarIdeas } from '../api/ideas';
import { IdeaStatusBadge } from '../ideas/IdeaStatusBadge';
import { ideaKeys } from '../ideas/queryKeys';
import { useDebounced } from '../ideas/useDebounced';

export type PickedIdea = Pick<ReleaseIdea, 'id' | 'title' | 'status'>;

/**
 * Picks the ideas a release delivers: search by title (the similar-ideas search, three letters
 * or more), add from the matches, remove from the list. Declined and merged ideas are offered
 * as not linkable (the server refuses them too).
 */
export function IdeaPicker({ picked, onChange }: { picked: PickedIdea[]; onChange: (ideas: PickedIdea[]) => void }) {
  const { t } = useTranslation();
  const inputId = useId();
  const [q, setQ] = useState('');
  const query = useDebounced(q.trim(), 250);
  const matches = useQuery({
    queryKey: ideaKeys.similar(query, undefined),
    queryFn: () => similarIdeas(query),
    enabled: query.length >= 3,
  });
  const pickedIds = new Set(picked.map((i) => i.id));
  return (
    <fieldset className="idea-picker" data-testid="idea-picker">
      <legend>{t('releases.editor.ideas')}</legend>
      {picked.length ? (
        <ul className="release-ideas">
          {picked.map((idea) => (
            <li key={idea.id} className="release-idea" data-testid="picked-idea" data-idea-id={idea.id}>
              {idea.title} <IdeaStatusBadge status={idea.status} />{' '}
              <button
                type="button"
                className="link-button link-button-danger"
                onClick={() => onChange(picked.filter((i) => i.id !== idea.id))}
              >
                {t('releases.editor.remove')}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t('releases.editor.noIdeas')}</p>
      )}
      <div className="field">
        <label htmlFor={inputId}>{t('releases.editor.search')}</label>
        <input
          id={inputId}
          className="idea-picker-input"
          type="search"
          value={q}
          data-testid="idea-search"
          placeholder={t('releases.editor.searchHint')}
          onChange={(e) => setQ(e.target.value)}
        />
      </div>
      {query.length >= 3 && matches.data ? (
        matches.data.length ? (
          <ul className="idea-picker-results" data-testid="idea-matches">
            {matches.data.map((idea) => {
              const refused = idea.status === 'declined' || idea.status === 'duplicate';
              return (
                <li key={idea.id} className="idea-picker-result">
                  <button
                    type="button"
                    className="link-button"
                    data-testid="add-idea"
                    data-idea-id={idea.id}
                    disabled={pickedIds.has(idea.id) || refused}
                    onClick={() => onChange([...picked, { id: idea.id, title: idea.title, status: idea.status }])}
                  >
                    {pickedIds.has(idea.id) ? '✓ ' : '+ '}
                    {idea.title}
                  </button>{' '}
                  <IdeaStatusBadge status={idea.status} />{' '}
                  <span className="muted">{t('releases.votes', { count: idea.voteCount })}</span>
                </li>
              );
            })}
          </ul>
        ) : (
          <p className="muted">{t('releases.editor.noMatches')}</p>
        )
      ) : null}
    </fieldset>
  );
}
