import { BODY_MAX, UPLOAD_TYPES } from '@fanlab/shared';
import { type DragEvent, type KeyboardEvent, type Ref, useCallback, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Avatar } from '../components/Avatar';
import { Cooked } from '../components/Cooked';
import { FormError } from '../components/FormError';
import { Icon } from '../components/Icon';
import { errorMessage } from '../i18n/errorMessage';
import { applyFormat, completeMention, type Edit, type Format } from './markdownEdit';
import { useImageUpload } from './useImageUpload';
import { useMentions } from './useMentions';
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

const FORMATS: { format: Format; label: 'bold' | 'italic' | 'link' | 'quote' | 'list' | 'code'; mark: string }[] = [
  { format: 'bold', label: 'bold', mark: 'B' },
  { format: 'italic', label: 'italic', mark: 'I' },
  { format: 'link', label: 'link', mark: '[ ]' },
  { format: 'quote', label: 'quote', mark: '“”' },
  { format: 'list', label: 'list', mark: '•' },
  { format: 'code', label: 'code', mark: '</>' },
];

/**
 * A Markdown text area with a formatting toolbar (Ctrl/⌘+B and +I too), @mention suggestions
 * (arrow keys, Enter or Tab to take one, Escape to close) and a Write/Preview switch: side by side
 * on wide screens, one or the other on a phone. The preview is the server's rendering
 * (POST /api/markdown/preview), never one made here. Images pasted, dropped or picked with the
 * image button upload at once and go in as Markdown (useImageUpload).
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
  const listId = `${id}-mentions`;
  const box = useRef<HTMLTextAreaElement | null>(null);
  const mentions = useMentions();
  const open = mentions.options.length > 0;
  const images = useImageUpload(value, onChange, box);
  const fileInput = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const filesOf = (list: FileList | null | undefined) => (list ? [...list] : []);
  const onDrop = (event: DragEvent<HTMLTextAreaElement>) => {
    setDragging(false);
    const files = filesOf(event.dataTransfer?.files);
    if (!files.length || disabled) return;
    event.preventDefault();
    images.upload(files);
  };
  const onDragOver = (event: DragEvent<HTMLTextAreaElement>) => {
    if (!event.dataTransfer?.types.includes('Files') || disabled) return;
    event.preventDefault();
    setDragging(true);
  };

  const setBox = useCallback(
    (element: HTMLTextAreaElement | null) => {
      box.current = element;
      if (typeof textareaRef === 'function') textareaRef(element);
      else if (textareaRef) (textareaRef as { current: HTMLTextAreaElement | null }).current = element;
    },
    [textareaRef],
  );

  /** Puts an edit in and its selection back once React has rendered the new text. */
  const commit = (edit: Edit) => {
    onChange(edit.value);
    requestAnimationFrame(() => {
      const element = box.current;
      if (!element) return;
      element.focus();
      element.setSelectionRange(edit.start, edit.end);
    });
  };

  const format = (which: Format) => {
    const element = box.current;
    if (!element) return;
    commit(applyFormat(value, element.selectionStart, element.selectionEnd, which));
  };

  const take = (username: string) => {
    const { mention } = mentions;
    if (!mention) return;
    commit(completeMention(value, mention.start, mention.caret, username));
    mentions.close();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (open) {
      const count = mentions.options.length;
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        mentions.setActive((mentions.active + (event.key === 'ArrowDown' ? 1 : count - 1)) % count);
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        take(mentions.options[mentions.active]?.username ?? '');
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        mentions.close();
        return;
      }
    }
    if ((event.ctrlKey || event.metaKey) && !event.altKey && (event.key === 'b' || event.key === 'i')) {
      event.preventDefault();
      format(event.key === 'b' ? 'bold' : 'italic');
    }
  };

  const track = (element: HTMLTextAreaElement) => mentions.track(element.value, element.selectionStart);

  return (
    <div className="composer" data-previewing={previewing}>
      <div className="composer-bar">
        <label htmlFor={id} className="composer-label">
          {label}
        </label>
        <fieldset className="composer-tools">
          <legend className="visually-hidden">{t('composer.format.label')}</legend>
          {FORMATS.map(({ format: which, label: name, mark }) => (
            <button
              key={which}
              type="button"
              className="composer-tool"
              data-testid={`${prefix}format-${which}`}
              title={t(`composer.format.${name}`)}
              aria-label={t(`composer.format.${name}`)}
              disabled={disabled}
              // keep the selection in the text area
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => format(which)}
            >
              <span aria-hidden="true">{mark}</span>
            </button>
          ))}
          <button
            type="button"
            className="composer-tool"
            data-testid={`${prefix}upload-image`}
            title={t('composer.upload.button')}
            aria-label={t('composer.upload.button')}
            disabled={disabled}
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => fileInput.current?.click()}
          >
            <Icon name="image" />
          </button>
          <input
            ref={fileInput}
            type="file"
            accept={UPLOAD_TYPES.join(',')}
            multiple
            hidden
            tabIndex={-1}
            data-testid={`${prefix}upload-input`}
            onChange={(event) => {
              images.upload(filesOf(event.target.files));
              event.target.value = '';
            }}
          />
        </fieldset>
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
      <div className="composer-panes">
        <div className="composer-write">
          <textarea
            id={id}
            ref={setBox}
            name="body"
            data-testid={testId}
            className="composer-text"
            rows={rows}
            maxLength={BODY_MAX}
            value={value}
            disabled={disabled}
            // biome-ignore lint/a11y/noAutofocus: the editor opens because the reader asked to write
            autoFocus={autoFocus}
            aria-describedby={[hintId, describedBy].filter(Boolean).join(' ')}
            aria-autocomplete="list"
            aria-controls={open ? listId : undefined}
            aria-activedescendant={open ? `${listId}-${mentions.active}` : undefined}
            onChange={(event) => {
              onChange(event.target.value);
              track(event.target);
            }}
            onKeyDown={onKeyDown}
            onKeyUp={(event) => {
              if (event.key.startsWith('Arrow') && !open) track(event.currentTarget);
            }}
            onClick={(event) => track(event.currentTarget)}
            onBlur={() => mentions.close()}
            onPaste={(event) => {
              const files = filesOf(event.clipboardData?.files);
              if (!files.length || disabled) return;
              event.preventDefault();
              images.upload(files);
            }}
            onDrop={onDrop}
            onDragOver={onDragOver}
            onDragLeave={() => setDragging(false)}
            data-dragging={dragging || undefined}
          />
          {open ? (
            <div
              id={listId}
              className="mention-list"
              role="listbox"
              aria-label={t('composer.mentions')}
              data-testid={`${prefix}mentions`}
            >
              {mentions.options.map((option, index) => (
                <div
                  key={option.username}
                  tabIndex={-1}
                  id={`${listId}-${index}`}
                  role="option"
                  aria-selected={index === mentions.active}
                  className="mention-option"
                  data-testid="mention-option"
                  onMouseDown={(event) => {
                    event.preventDefault();
                    take(option.username);
                  }}
                >
                  <Avatar username={option.username} /> {option.username}
                </div>
              ))}
            </div>
          ) : null}
        </div>
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
      </div>
      {images.uploading > 0 ? (
        <p className="composer-uploading" role="status" data-testid={`${prefix}uploading`}>
          {t('composer.upload.uploading', { count: images.uploading })}
        </p>
      ) : null}
      <FormError message={images.error} />
      <p id={hintId} className="field-hint">
        {t('composer.hint')}
      </p>
    </div>
  );
}
