import type { Post } from '@fanlab/shared';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormError } from '../components/FormError';
import { errorMessage } from '../i18n/errorMessage';
import { Composer } from './Composer';
import { DraftStatus } from './DraftStatus';
import { useEditPost } from './mutations';
import { textOfHtml } from './quote';
import { useDraft } from './useDraft';

/** Edits a post in place. */
export function PostEditor({ post, onDone }: { post: Post; onDone: () => void }) {
  const { t } = useTranslation();
  const [original] = useState(() => ({ body: post.raw ?? textOfHtml(post.cooked) }));
  const [body, setBody] = useState(original.body);
  const draft = useDraft({
    key: `edit:${post.id}`,
    text: { body },
    baseline: original,
    setText: (text) => setBody(text.body),
  });
  const [empty, setEmpty] = useState(false);
  const edit = useEditPost(post.threadId);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setEmpty(body.trim() === '');
    if (body.trim() === '') return;
    edit.mutate(
      { postId: post.id, body },
      {
        onSuccess: () => {
          draft.sent();
          onDone();
        },
      },
    );
  };

  return (
    <form className="post-editor form" onSubmit={onSubmit} noValidate data-testid="post-editor">
      <FormError message={empty ? t('errors.bodyRequired') : edit.error ? errorMessage(t, edit.error) : null} />
      <Composer value={body} onChange={setBody} label={t('post.editLabel')} testId="edit-composer" autoFocus rows={6} />
      <p className="actions">
        <button type="submit" className="button button-small" data-testid="edit-save" disabled={edit.isPending}>
          {edit.isPending ? t('post.saving') : t('post.save')}
        </button>
        <button
          type="button"
          className="button button-small button-secondary"
          onClick={() => {
            // cancelling an edit throws its changes away, the kept draft with them
            draft.discard();
            onDone();
          }}
        >
          {t('post.cancel')}
        </button>
        <DraftStatus draft={draft} />
      </p>
    </form>
  );
}
