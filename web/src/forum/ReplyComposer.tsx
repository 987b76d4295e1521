import type { Post } from '@fanlab/shared';
import { BODY_MAX } from '@fanlab/shared';
import { type FormEvent, type Ref, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../api/client';
import { isQueued } from '../api/forum';
import { FormError } from '../components/FormError';
import { errorMessage } from '../i18n/errorMessage';
import { Composer } from './Composer';
import { DraftStatus } from './DraftStatus';
import { useCreatePost } from './mutations';
import { type DraftText, useDraft } from './useDraft';

const EMPTY: DraftText = { body: '' };

interface ReplyComposerProps {
  threadId: number;
  body: string;
  onBodyChange: (body: string) => void;
  replyTo: Pick<Post, 'postNumber' | 'author'> | null;
  onCancelReplyTo: () => void;
  textareaRef: Ref<HTMLTextAreaElement>;
  onPosted: (post: Post) => void;
  onLocked: () => void;
}

/** The reply form at the end of a thread. */
export function ReplyComposer({
  threadId,
  body,
  onBodyChange,
  replyTo,
  onCancelReplyTo,
  textareaRef,
  onPosted,
  onLocked,
}: ReplyComposerProps) {
  const { t } = useTranslation();
  const create = useCreatePost(threadId);
  const [problem, setProblem] = useState<string | null>(null);
  /** The last reply waits for a moderator's approval (202): nothing was published yet. */
  const [held, setHeld] = useState(false);
  const draft = useDraft({
    key: `reply:${threadId}`,
    text: { body },
    baseline: EMPTY,
    setText: (text) => onBodyChange(text.body),
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const trimmed = body.trim();
    const check =
      trimmed === ''
        ? t('errors.bodyRequired')
        : body.length > BODY_MAX
          ? t('errors.bodyTooLong', { max: BODY_MAX })
          : null;
    setProblem(check);
    if (check) {
      create.reset();
      return;
    }
    create.mutate(
      { body, ...(replyTo ? { replyToPostNumber: replyTo.postNumber } : {}) },
      {
        onSuccess: (post) => {
          draft.sent();
          if (isQueued(post)) {
            setHeld(true);
            onBodyChange('');
          } else {
            setHeld(false);
            onPosted(post);
          }
        },
        onError: (error) => {
          if (error instanceof ApiError && error.code === 'thread_locked') onLocked();
        },
      },
    );
  };

  const error = problem ?? (create.error ? errorMessage(t, create.error) : null);

  return (
    <section className="reply-composer card" aria-labelledby="reply-heading" data-testid="reply-composer">
      <h2 id="reply-heading">{t('thread.replyHeading')}</h2>
      <form className="form" onSubmit={onSubmit} noValidate>
        <FormError message={error} />
        {held && !create.isPending ? (
          <p className="notice" data-testid="reply-held" role="status">
            {t('composer.heldReply')} <Link to="/account#queued-posts">{t('composer.heldSee')}</Link>
          </p>
        ) : null}
        {replyTo ? (
          <p className="replying-to" data-testid="replying-to">
            <a href={`#post-${replyTo.postNumber}`}>
              {t('thread.replyingTo', { number: replyTo.postNumber, username: replyTo.author.username })}
            </a>{' '}
            <button type="button" className="link-button" onClick={onCancelReplyTo}>
              {t('thread.replyToThreadInstead')}
            </button>
          </p>
        ) : null}
        <Composer
          value={body}
          onChange={onBodyChange}
          label={t('composer.bodyLabel')}
          textareaRef={textareaRef}
          disabled={create.isPending}
          rows={6}
        />
        <p className="actions">
          <button type="submit" className="button" data-testid="composer-submit" disabled={create.isPending}>
            {create.isPending ? t('thread.posting') : t('thread.postReply')}
          </button>
          <DraftStatus draft={draft} />
        </p>
      </form>
    </section>
  );
}
