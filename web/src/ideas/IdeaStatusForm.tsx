import { type IdeaDetail, type IdeaStatus, ideaStatuses } from '@fanlab/shared';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormError } from '../components/FormError';
import { Composer } from '../forum/Composer';
import { errorMessage } from '../i18n/errorMessage';
import { useSetIdeaStatus } from './mutations';

/** Staff and product managers: a new status, with an official response (Markdown, server preview). */
export function IdeaStatusForm({ idea }: { idea: IdeaDetail }) {
  const { t } = useTranslation();
  const selectId = useId();
  const [status, setStatus] = useState<IdeaStatus>(idea.status);
  const [response, setResponse] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const save = useSetIdeaStatus(idea.threadId);
  // Someone else changed the status meanwhile (live): start from the new one.
  const [shownStatus, setShownStatus] = useState(idea.status);
  if (shownStatus !== idea.status) {
    setShownStatus(idea.status);
    setStatus(idea.status);
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaved(false);
    const text = response.trim();
    if (status === idea.status && text === '') {
      setProblem(t('ideas.tools.nothingChanged'));
      return;
    }
    setProblem(null);
    save.mutate(
      { status, ...(text ? { response } : {}) },
      {
        onSuccess: (detail) => {
          setResponse('');
          setStatus(detail.status);
          setSaved(true);
        },
      },
    );
  };

  return (
    <form className="form idea-status-form" onSubmit={onSubmit} noValidate data-testid="status-form">
      <h3>{t('ideas.tools.statusHeading')}</h3>
      <FormError message={problem ?? (save.error ? errorMessage(t, save.error) : null)} />
      {saved ? (
        <p className="form-success" role="status" data-testid="status-saved">
          {t('ideas.tools.saved')}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor={selectId}>{t('ideas.tools.status')}</label>
        <select
          id={selectId}
          data-testid="status-select"
          value={status}
          onChange={(event) => {
            setSaved(false);
            setStatus(event.target.value as IdeaStatus);
          }}
        >
          {ideaStatuses.map((option) => (
            // Duplicates are made by merging (below), not by status.
            <option key={option} value={option} disabled={option === 'duplicate'}>
              {t(`ideas.status.${option}`)}
            </option>
          ))}
        </select>
      </div>
      <Composer
        value={response}
        onChange={(value) => {
          setSaved(false);
          setResponse(value);
        }}
        label={t('ideas.tools.response')}
        testId="status-response"
        rows={4}
        disabled={save.isPending}
      />
      <p className="field-hint">{t('ideas.tools.responseHint')}</p>
      <p className="actions">
        <button type="submit" className="button button-small" data-testid="status-submit" disabled={save.isPending}>
          {save.isPending ? t('ideas.tools.saving') : t('ideas.tools.submit')}
        </button>
      </p>
    </form>
  );
}
