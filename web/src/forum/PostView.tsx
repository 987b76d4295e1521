import type { FlagReason, Post } from '@fanlab/shared';
import { type Ref, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../account/useMe';
import { Avatar } from '../components/Avatar';
import { Cooked } from '../components/Cooked';
import { FormError } from '../components/FormError';
import { RelativeTime } from '../components/RelativeTime';
import { errorMessage } from '../i18n/errorMessage';
import { FlagForm } from '../moderation/FlagForm';
import { UserLink } from '../users/UserLink';
import { useSetPostDeleted, useToggleBookmark, useToggleLike } from './mutations';
import { PostEditor } from './PostEditor';
import { PostRevisions } from './PostRevisions';
import { SharePostButton } from './SharePostButton';

interface PostViewProps {
  post: Post;
  /** Replying and quoting are offered (signed in, thread open). */
  canReply: boolean;
  highlighted: boolean;
  onReply: (post: Post) => void;
  onQuote: (post: Post) => void;
  articleRef?: Ref<HTMLElement>;
  /** Staff selecting posts to move: a checkbox on the post. */
  selection?: { selected: boolean; onToggle: (post: Post) => void };
}

function DeleteConfirm({
  onConfirm,
  onCancel,
  pending,
}: {
  onConfirm: () => void;
  onCancel: () => void;
  pending: boolean;
}) {
  const { t } = useTranslation();
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => button.current?.focus(), []);
  return (
    <div className="confirm post-confirm">
      <p>{t('post.confirmDelete')}</p>
      <p className="actions">
        <button
          ref={button}
          type="button"
          className="button button-small button-danger"
          data-testid="confirm-delete"
          disabled={pending}
          onClick={onConfirm}
        >
          {pending ? t('post.deleting') : t('post.confirmDeleteButton')}
        </button>
        <button type="button" className="button button-small button-secondary" onClick={onCancel}>
          {t('post.cancel')}
        </button>
      </p>
    </div>
  );
}

function formatDate(date: string, locale: string | undefined): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short' }).format(new Date(date));
}

/** One post of a thread, with its actions. */
export function PostView({ post, canReply, highlighted, onReply, onQuote, articleRef, selection }: PostViewProps) {
  const { t, i18n } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [showRevisions, setShowRevisions] = useState(false);
  const [flagging, setFlagging] = useState(false);
  const [flagged, setFlagged] = useState<'sent' | 'hidden' | null>(null);
  const like = useToggleLike(post.threadId);
  const bookmark = useToggleBookmark(post.threadId);
  const signedIn = Boolean(useMe().data);
  const setDeleted = useSetPostDeleted(post.threadId);
  const error = like.error ?? bookmark.error ?? setDeleted.error;

  const classes = ['post'];
  if (post.deleted) classes.push('post-deleted');
  if (post.hidden) classes.push('post-hidden');
  if (highlighted) classes.push('post-highlighted');
  if (selection?.selected) classes.push('post-selected');

  return (
    <article
      ref={articleRef}
      id={`post-${post.postNumber}`}
      className={classes.join(' ')}
      data-testid="post"
      data-post-number={post.postNumber}
      data-post-id={post.id}
      aria-labelledby={`post-${post.postNumber}-author`}
    >
      <header className="post-header">
        {selection ? (
          <label className="post-select">
            <input
              type="checkbox"
              data-testid="select-post"
              checked={selection.selected}
              onChange={() => selection.onToggle(post)}
            />
            <span className="visually-hidden">{t('movePosts.selectPost', { number: post.postNumber })}</span>
          </label>
        ) : null}
        <span id={`post-${post.postNumber}-author`} className="post-author">
          <Avatar username={post.author.username} />
          <UserLink username={post.author.username} />
        </span>
        {post.replyToPostNumber && post.replyToPostNumber !== 1 ? (
          <a href={`#post-${post.replyToPostNumber}`} className="post-reply-to">
            {t('post.inReplyTo', { number: post.replyToPostNumber })}
          </a>
        ) : null}
        <span className="post-date">
          <a href={`#post-${post.postNumber}`} className="post-permalink">
            <RelativeTime date={post.createdAt} />
          </a>
          <span className="post-number" data-testid="post-number">
            #{post.postNumber}
          </span>
          {post.editedAt ? (
            post.canSeeHistory ? (
              <button
                type="button"
                className="link-button post-edited"
                data-testid="edited-marker"
                aria-expanded={showRevisions}
                onClick={() => setShowRevisions((current) => !current)}
              >
                {t('post.edited')}
              </button>
            ) : (
              <span
                className="post-edited"
                data-testid="edited-marker"
                title={formatDate(post.editedAt, i18n.resolvedLanguage)}
              >
                {t('post.edited')}
              </span>
            )
          ) : null}
        </span>
      </header>

      {showRevisions ? <PostRevisions postId={post.id} /> : null}

      {editing ? (
        <PostEditor post={post} onDone={() => setEditing(false)} />
      ) : post.deleted ? (
        <>
          <p className="post-deleted-notice" data-testid="post-deleted">
            {t('post.deleted')}
          </p>
          {post.canSeeHistory && post.cooked ? <Cooked html={post.cooked} className="cooked cooked-deleted" /> : null}
        </>
      ) : post.hidden ? (
        <>
          <p className="post-hidden-notice" data-testid="post-hidden">
            {post.hiddenReason
              ? t(
                  post.hiddenPending
                    ? post.canSeeHistory
                      ? 'post.hiddenStaff'
                      : 'post.hiddenOwn'
                    : 'post.hiddenByModerator',
                  { reason: t(`flag.reason.${post.hiddenReason as FlagReason}`).toLowerCase() },
                )
              : t(post.hiddenPending ? 'post.hidden' : 'post.hiddenDecided')}
          </p>
          {post.cooked ? <Cooked html={post.cooked} className="cooked cooked-hidden" testId="post-body" /> : null}
        </>
      ) : (
        <Cooked html={post.cooked} testId="post-body" />
      )}

      {flagging ? (
        <FlagForm
          post={post}
          onCancel={() => setFlagging(false)}
          onFlagged={(hidden) => {
            setFlagging(false);
            setFlagged(hidden ? 'hidden' : 'sent');
          }}
        />
      ) : null}
      {flagged ? (
        <p className="notice" role="status" data-testid="flag-thanks">
          {flagged === 'hidden' ? t('flag.thanksHidden') : t('flag.thanks')}
        </p>
      ) : null}

      <FormError message={error ? errorMessage(t, error) : null} />

      {confirming ? (
        <DeleteConfirm
          pending={setDeleted.isPending}
          onCancel={() => setConfirming(false)}
          onConfirm={() => setDeleted.mutate({ post, deleted: true }, { onSuccess: () => setConfirming(false) })}
        />
      ) : null}

      {!editing ? (
        <footer className="post-actions">
          {!post.deleted ? (
            <button
              type="button"
              className={`post-action like-button${post.likedByMe ? ' liked' : ''}`}
              data-testid="like-button"
              aria-pressed={post.likedByMe}
              disabled={!post.canLike || like.isPending}
              title={post.canLike ? (post.likedByMe ? t('post.unlike') : t('post.like')) : t('post.cannotLike')}
              onClick={() => like.mutate(post)}
            >
              <span aria-hidden="true">{post.likedByMe ? '♥' : '♡'}</span>{' '}
              <span data-testid="post-like-count">{post.likeCount}</span>
              <span className="visually-hidden"> {t('post.likeNoun', { count: post.likeCount })}</span>
            </button>
          ) : null}
          {canReply && !post.deleted ? (
            <>
              <button type="button" className="post-action" data-testid="reply-button" onClick={() => onReply(post)}>
                {t('post.reply')}
              </button>
              <button type="button" className="post-action" data-testid="quote-button" onClick={() => onQuote(post)}>
                {t('post.quote')}
              </button>
            </>
          ) : null}
          {signedIn && (!post.deleted || post.bookmarkedByMe) ? (
            <button
              type="button"
              className={`post-action${post.bookmarkedByMe ? ' bookmarked' : ''}`}
              data-testid="bookmark-button"
              aria-pressed={post.bookmarkedByMe}
              disabled={bookmark.isPending}
              onClick={() => bookmark.mutate(post)}
            >
              {post.bookmarkedByMe ? t('post.bookmarked') : t('post.bookmark')}
            </button>
          ) : null}
          {!post.deleted ? <SharePostButton threadId={post.threadId} postNumber={post.postNumber} /> : null}
          {post.canEdit && !post.deleted ? (
            <button type="button" className="post-action" data-testid="edit-button" onClick={() => setEditing(true)}>
              {t('post.edit')}
            </button>
          ) : null}
          {post.canDelete && !post.deleted && post.postNumber > 1 ? (
            <button
              type="button"
              className="post-action post-action-danger"
              data-testid="delete-button"
              aria-expanded={confirming}
              onClick={() => setConfirming(true)}
            >
              {t('post.delete')}
            </button>
          ) : null}
          {post.canFlag && !flagging ? (
            <button type="button" className="post-action" data-testid="flag-button" onClick={() => setFlagging(true)}>
              {t('post.flag')}
            </button>
          ) : null}
          {post.deleted && post.canRestore ? (
            <button
              type="button"
              className="post-action"
              data-testid="restore-button"
              disabled={setDeleted.isPending}
              onClick={() => setDeleted.mutate({ post, deleted: false })}
            >
              {t('post.restore')}
            </button>
          ) : null}
        </footer>
      ) : null}
    </article>
  );
}
