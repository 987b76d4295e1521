import { UPLOAD_TYPES } from '@fanlab/shared';
import { type RefObject, useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { uploadImage } from '../api/uploads';
import { errorMessage } from '../i18n/errorMessage';
import { imageDescription, insertBlock, replacePlaceholder, uploadPlaceholder } from './markdownEdit';

const TYPES: readonly string[] = UPLOAD_TYPES;

/**
 * Images pasted, dropped or picked into a composer: each one puts a placeholder at the caret at
 * once, uploads, and becomes `![name](url)` where the placeholder has moved to meanwhile (the
 * writer keeps typing), or goes with an error said under the text. Several may be under way.
 */
export function useImageUpload(
  value: string,
  onChange: (value: string) => void,
  box: RefObject<HTMLTextAreaElement | null>,
) {
  const { t } = useTranslation();
  // the text as the last change left it: uploads finish after renders the closure has not seen
  const latest = useRef(value);
  latest.current = value;
  const counter = useRef(0);
  const [uploading, setUploading] = useState(0);
  const [error, setError] = useState<string | null>(null);

  const change = useCallback(
    (next: string) => {
      latest.current = next;
      onChange(next);
    },
    [onChange],
  );

  const upload = useCallback(
    (files: File[]) => {
      const images = files.filter((file) => TYPES.includes(file.type));
      if (images.length < files.length) setError(t('composer.upload.notImage'));
      else setError(null);
      for (const file of images) {
        counter.current += 1;
        const placeholder = uploadPlaceholder(file.name, counter.current);
        const element = box.current;
        const start = element?.selectionStart ?? latest.current.length;
        const end = element?.selectionEnd ?? start;
        const edit = insertBlock(latest.current, start, end, placeholder);
        change(edit.value);
        requestAnimationFrame(() => box.current?.setSelectionRange(edit.start, edit.end));
        setUploading((n) => n + 1);
        uploadImage(file)
          .then(
            (uploaded) =>
              change(
                replacePlaceholder(latest.current, placeholder, `![${imageDescription(file.name)}](${uploaded.url})`),
              ),
            (err: unknown) => {
              change(replacePlaceholder(latest.current, placeholder, ''));
              setError(errorMessage(t, err));
            },
          )
          .finally(() => setUploading((n) => n - 1));
      }
    },
    [box, change, t],
  );

  return { upload, uploading, error };
}
