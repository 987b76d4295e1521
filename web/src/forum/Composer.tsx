import { BODY_MAX } from '@fanlab/shared';
import { type Ref, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Cooked } from '../components/Cooked';
import { errorMessage } from '../i18n/errorMessage';
import { usePreview } from './usePreview';

interface ComposerProps {
  value: string;
  onChange: (value: string) => void;
  label: string;
  textareaRef?: Ref<HTMLTextAreaElement>;
  disabled?: boolean;
  autoFocus?: boolean;
  rows?: number;
  /** Prefix of the data-testids: `composer`, `preview-toggle` and `preview` for "composer". */
  testId?: string;
  describedBy?: string;
}

/**
 * A Markdown text area with a Write/Preview switch. The preview is the server's rendering
 * (POST /api/markdown/preview), never one made here.
 */
export function Composer({
  value,
  onChange,
  label,
  textareaRef,
  disabled,
  autoFocus,
  rows = 8,
  testId = 'composer',
  describedBy,
}: ComposerProps) {
  const { t } = useTranslation();
  const id = useId();
  const [previewing, setPreviewing] = useState(false);
  const preview = usePreview(value, previewing);
  const prefix = testId === 'composer' ? '' : `${testId}-`;
  const hintId = `${id}-hint`;

  return (
    <div className="composer">
      <div className="composer-bar">
        <label htmlFor={id} className="composer-label">
          {label}
        </label>
        <button
          type="button"
          className="button button-small button-secondary"
          data-testid={`${prefix}preview-toggle`}
          aria-pressed={previewing}
          onClick={() => setPreviewing((current) => !current)}
        >
          {previewing ? t('composer.write') : t('composer.preview')}
        </button>
      </div>
      <textarea
        id={id}
        ref={textareaRef}
        name="body"
        data-testid={testId}
        className="composer-text"
        rows={rows}
        maxLength={BODY_MAX}
        value={value}
        disabled={disabled}
        // biome-ignore lint/a11y/noAutofocus: the editor opens because the reader asked to write
        autoFocus={autoFocus}
        hidden={previewing}
        aria-describedby={[hintId, describedBy].filter(Boolean).join(' ')}
        onChange={(event) => onChange(event.target.value)}
      />
      {previewing ? (
        <div className="composer-preview" aria-live="polite" aria-busy={preview.isFetching}>
          {value.trim() === '' ? (
            <p className="notice">{t('composer.nothingToPreview')}</p>
          ) : preview.isPending ? (
            <p className="loading">{t('composer.previewLoading')}</p>
          ) : preview.isError ? (
            <p className="form-error">{errorMessage(t, preview.error)}</p>
          ) : (
            <Cooked html={preview.data ?? ''} testId={`${prefix}preview`} />
          )}
        </div>
      ) : null}
      <p id={hintId} className="field-hint">
        {t('composer.hint')}
      </p>
    </div>
  );
}
