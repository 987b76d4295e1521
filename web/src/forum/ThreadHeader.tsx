import { TITLE_MAX, TITLE_MIN } from '@fanlab/shared';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { FormError } from '../components/FormError';
import { Icon } from '../components/Icon';
import { TextField } from '../components/TextField';
import { errorMessage } from '../i18n/errorMessage';
import { CategoryBadge } from './CategoryBadge';
import { useModerateThread, useRenameThread, useSetThreadDeleted } from './mutations';
import type { ThreadMeta } from './threadCache';
import { useCategories } from './useCategories';

interface ThreadHeaderProps {
  /** The thread with what the reader may do with it (canEditTitle, canDelete, canRestore). */
  thread: ThreadMeta;
  /** Staff: start selecting posts to move (the page holds the selection). */
  onSelectPosts?: () => void;
}

function RenameForm({ thread, onDone }: { thread: ThreadMeta; onDone: () => void }) {
  const { t } = useTranslation();
  const [title, setTitle] = useState(thread.title);
  const [problem, setProblem] = useState<string | null>(null);
  const rename = useRenameThread(thread.id);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const length = title.trim().length;
    const check =
      length < TITLE_MIN || length > TITLE_MAX ? t('errors.titleLength', { min: TITLE_MIN, max: TITLE_MAX }) : null;
    setProblem(check);
    if (!check) rename.mutate(title.trim(), { onSuccess: onDone });
  };
  return (
    <form className="form rename-form" onSubmit={onSubmit} noValidate>
      <FormError message={problem ?? (rename.error ? errorMessage(t, rename.error) : null)} />
      <TextField
        label={t('composer.titleLabel')}
        name="title"
        type="text"
        data-testid="rename-title"
        maxLength={TITLE_MAX}
        value={title}
        onChange={(event) => setTitle(event.target.value)}
      />
      <p className="actions">
        <button type="submit" className="button button-small" data-testid="rename-save" disabled={rename.isPending}>
          {rename.isPending ? t('post.saving') : t('post.save')}
        </button>
        <button type="button" className="button button-small button-secondary" onClick={onDone}>
          {t('post.cancel')}
        </button>
      </p>
    </form>
  );
}

/** Staff: pin, lock, unlist, move; select posts to move elsewhere. */
function ModerationBar({ thread, onSelectPosts }: { thread: ThreadMeta; onSelectPosts?: () => void }) {
  const { t } = useTranslation();
  const moderate = useModerateThread(thread.id);
  const { data: categories } = useCategories();
  const busy = moderate.isPending;
  const toggles = [
    ['pinned', 'toggle-pin', thread.pinned, thread.pinned ? t('thread.unpin') : t('thread.pin')],
    ['locked', 'toggle-lock', thread.locked, thread.locked ? t('thread.unlock') : t('thread.lock')],
    ['unlisted', 'toggle-unlist', thread.unlisted, thread.unlisted ? t('thread.list') : t('thread.unlist')],
  ] as const;
  const targets = (categories ?? []).filter(
    (c) => c.id !== thread.category.id && (thread.kind === 'idea' ? c.allowIdeas : c.allowDiscussions),
  );
  return (
    <div className="thread-moderation" data-testid="thread-moderation">
      {toggles.map(([key, testId, on, label]) => (
        <button
          key={key}
          type="button"
          className="link-button"
          data-testid={testId}
          disabled={busy}
          onClick={() => moderate.mutate({ [key]: !on })}
        >
          {label}
        </button>
      ))}
      {targets.length ? (
        <label>
          {t('thread.moveTo')}{' '}
          <select
            data-testid="move-thread"
            value=""
            disabled={busy}
            onChange={(e) => e.target.value && moderate.mutate({ categoryId: Number(e.target.value) })}
          >
            <option value="">—</option>
            {targets.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {thread.canMovePosts && onSelectPosts ? (
        <button type="button" className="link-button" data-testid="select-posts" onClick={onSelectPosts}>
          {t('movePosts.selectPosts')}
        </button>
      ) : null}
      <FormError message={moderate.error ? errorMessage(t, moderate.error) : null} />
    </div>
  );
}

/** The thread's category, title, state badges and the actions the reader may take. */
export function ThreadHeader({ thread, onSelectPosts }: ThreadHeaderProps) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [renaming, setRenaming] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const setDeleted = useSetThreadDeleted(thread.id);

  const remove = () =>
    setDeleted.mutate(true, {
      onSuccess: () => {
        setConfirming(false);
        // Whoever cannot restore a deleted thread cannot see it either: back to its category.
        if (!thread.canRestore) navigate(`/c/${thread.category.slug}`);
      },
    });

  return (
    <header className="thread-header">
      <p className="thread-header-meta">
        <CategoryBadge category={thread.category} />
        {thread.kind === 'idea' ? <span className="badge badge-kind">{t('threadList.idea')}</span> : null}
        {thread.pinned ? (
          <span className="badge badge-pinned" data-testid="pinned-badge">
            <Icon name="pin" /> {t('thread.pinned')}
          </span>
        ) : null}
        {thread.locked ? (
          <span className="badge badge-locked" data-testid="locked-badge">
            <Icon name="lock" /> {t('thread.locked')}
          </span>
        ) : null}
      </p>
      {renaming ? (
        <RenameForm thread={thread} onDone={() => setRenaming(false)} />
      ) : (
        <h1 className="thread-title" data-testid="thread-title">
          {thread.title}
        </h1>
      )}
      {thread.deleted ? (
        <div className="deleted-banner" role="status" data-testid="thread-deleted">
          <p>{t('thread.deletedNotice')}</p>
          {thread.canRestore ? (
            <button
              type="button"
              className="button button-small"
              data-testid="restore-thread"
              disabled={setDeleted.isPending}
              onClick={() => setDeleted.mutate(false)}
            >
              {t('thread.restore')}
            </button>
          ) : null}
        </div>
      ) : null}
      <FormError message={setDeleted.error ? errorMessage(t, setDeleted.error) : null} />
      {thread.unlisted && !thread.deleted ? (
        <p className="notice" data-testid="thread-unlisted">
          {t('thread.unlistedNotice')}
        </p>
      ) : null}
      {thread.canModerate && !thread.deleted ? <ModerationBar thread={thread} onSelectPosts={onSelectPosts} /> : null}
      {(thread.canEditTitle || thread.canDelete) && !renaming && !thread.deleted ? (
        <p className="thread-actions">
          {thread.canEditTitle ? (
            <button type="button" className="link-button" data-testid="rename-thread" onClick={() => setRenaming(true)}>
              {t('thread.rename')}
            </button>
          ) : null}
          {thread.canDelete ? (
            <button
              type="button"
              className="link-button link-button-danger"
              data-testid="delete-thread"
              aria-expanded={confirming}
              onClick={() => setConfirming(true)}
            >
              {t('thread.delete')}
            </button>
          ) : null}
        </p>
      ) : null}
      {confirming ? (
        <div className="confirm">
          <p>{t('thread.confirmDelete')}</p>
          <p className="actions">
            <button
              type="button"
              className="button button-small button-danger"
              data-testid="confirm-delete-thread"
              disabled={setDeleted.isPending}
              onClick={remove}
            >
              {setDeleted.isPending ? t('post.deleting') : t('thread.confirmDeleteButton')}
            </button>
            <button type="button" className="button button-small button-secondary" onClick={() => setConfirming(false)}>
              {t('post.cancel')}
            </button>
          </p>
        </div>
      ) : null}
    </header>
  );
}
