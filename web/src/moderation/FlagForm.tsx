import { type FlagBody, type FlagReason, flagReasons, type Post } from '@fanlab/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { flagPost } from '../api/moderation';
import { FormError } from '../components/FormError';
import { refreshPost } from '../forum/threadCache';
import { errorMessage } from '../i18n/errorMessage';

/** "https://…/t/42/3", "/t/42" or "42" → 42; anything else → null. */
export function threadIdFrom(text: string): number | null {
  const match = /^(?:.*\/t\/)?(\d{1,15})(?:[/?#].*)?$/.exec(text.trim());
  const id = match ? Number(match[1]) : Number.NaN;
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** Flags a post for moderators: a reason, and a message or the original thread where needed. */
export function FlagForm({
  post,
  onFlagged,
  onCancel,
}: {
  post: Post;
  onFlagged: (hidden: boolean) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const id = useId();
  const [reason, setReason] = useState<FlagReason | null>(null);
  const [message, setMessage] = useState('');
  const [original, setOriginal] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const flag = useMutation({
    mutationFn: (body: FlagBody) => flagPost(post.id, body),
    onSuccess: async ({ hidden }) => {
      await refreshPost(queryClient, post.threadId, post.postNumber);
      onFlagged(hidden);
    },
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!reason) return;
    const body: FlagBody = { reason };
    if (message.trim()) body.message = message.trim();
    if (reason === 'other' && !body.message) return setProblem(t('flag.messageRequired'));
    if (reason === 'duplicate') {
      const duplicateOf = threadIdFrom(original);
      if (duplicateOf === null) return setProblem(t('flag.originalInvalid'));
      body.duplicateOf = duplicateOf;
    }
    setProblem(null);
    flag.mutate(body);
  };

  return (
    <form className="flag-form card" data-testid="flag-form" onSubmit={onSubmit} noValidate>
      <fieldset>
        <legend>{t('flag.heading')}</legend>
        {flagReasons.map((r, i) => (
          <label key={r} className="flag-reason">
            <input
              ref={i === 0 ? first : undefined}
              type="radio"
              name={`${id}-reason`}
              value={r}
              data-testid={`flag-reason-${r}`}
              checked={reason === r}
              onChange={() => setReason(r)}
            />
            <span>
              <strong>{t(`flag.reason.${r}`)}</strong> <span className="field-hint">{t(`flag.reasonHint.${r}`)}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {reason === 'duplicate' ? (
        <div className="field">
          <label htmlFor={`${id}-original`}>{t('flag.original')}</label>
          <input id={`${id}-original`} value={original} onChange={(e) => setOriginal(e.target.value)} maxLength={300} />
        </div>
      ) : null}
      {reason ? (
        <div className="field">
          <label htmlFor={`${id}-message`}>{t('flag.message')}</label>
          <textarea
            id={`${id}-message`}
            data-testid="flag-message"
            value={message}
            maxLength={1000}
            rows={3}
            onChange={(e) => setMessage(e.target.value)}
          />
        </div>
      ) : null}
      <FormError message={problem ?? (flag.error ? errorMessage(t, flag.error) : null)} />
      <p className="actions">
        <button
          type="submit"
          className="button button-small"
          data-testid="flag-submit"
          disabled={!reason || flag.isPending}
        >
          {flag.isPending ? t('flag.pending') : t('flag.submit')}
        </button>
        <button type="button" className="button button-small button-secondary" onClick={onCancel}>
          {t('flag.cancel')}
        </button>
      </p>
    </form>
  );
}
