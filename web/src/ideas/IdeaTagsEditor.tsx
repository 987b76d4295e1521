import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormError } from '../components/FormError';
import { TextField } from '../components/TextField';
import { errorMessage } from '../i18n/errorMessage';
import { useSetIdeaTags } from './mutations';
import { MAX_TAGS, parseTags } from './tags';

/** Staff: the idea's tags, as one comma-separated field. */
export function IdeaTagsEditor({ ideaId, tags }: { ideaId: number; tags: readonly string[] }) {
  const { t } = useTranslation();
  const [value, setValue] = useState(() => tags.join(', '));
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const save = useSetIdeaTags(ideaId);
  // Tags changed elsewhere meanwhile: start from the new ones.
  const [shownTags, setShownTags] = useState(() => tags.join(', '));
  if (shownTags !== tags.join(', ')) {
    setShownTags(tags.join(', '));
    setValue(tags.join(', '));
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaved(false);
    const parsed = parseTags(value);
    if (!parsed.ok) {
      setProblem(
        'invalid' in parsed
          ? t('ideas.tools.tagsInvalid', { tags: parsed.invalid.join(', ') })
          : t('ideas.tools.tagsTooMany', { max: MAX_TAGS }),
      );
      return;
    }
    setProblem(null);
    save.mutate(parsed.tags, {
      onSuccess: (detail) => {
        setValue(detail.tags.join(', '));
        setSaved(true);
      },
    });
  };

  return (
    <form className="form idea-tags-form" onSubmit={onSubmit} noValidate data-testid="tags-form">
      <h3>{t('ideas.tools.tagsHeading')}</h3>
      <FormError message={problem ?? (save.error ? errorMessage(t, save.error) : null)} />
      {saved ? (
        <p className="form-success" role="status" data-testid="tags-saved">
          {t('ideas.tools.tagsSaved')}
        </p>
      ) : null}
      <TextField
        label={t('ideas.tagsLabel')}
        hint={t('ideas.tools.tagsHint', { max: MAX_TAGS })}
        name="tags"
        type="text"
        data-testid="tags-input"
        value={value}
        onChange={(event) => {
          setSaved(false);
          setValue(event.target.value);
        }}
      />
      <p className="actions">
        <button type="submit" className="button button-small" data-testid="tags-save" disabled={save.isPending}>
          {save.isPending ? t('ideas.tools.saving') : t('ideas.tools.tagsSave')}
        </button>
      </p>
    </form>
  );
}
