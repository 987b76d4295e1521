import type { Post } from '@fanlab/shared';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useParams } from 'react-router';
import { SignInPrompt } from '../account/SignInPrompt';
import { useMe } from '../account/useMe';
import { ApiError } from '../api/client';
import { Icon } from '../components/Icon';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { LoadMore } from '../components/LoadMore';
import { usePageTitle } from '../components/usePageTitle';
import { IdeaPanel } from '../ideas/IdeaPanel';
import { MovePostsBar } from '../moderation/MovePosts';
import { NotificationLevelSelect } from '../notifications/NotificationLevelSelect';
import { NotFoundPage } from '../shell/NotFoundPage';
import { PostView } from './PostView';
import { insertAt, quoteOf } from './quote';
import { ReplyComposer } from './ReplyComposer';
import { ThreadHeader } from './ThreadHeader';
import { ThreadPosition } from './ThreadPosition';
import { loadedPosts, patchThread, threadMeta } from './threadCache';
import { useReadTracker } from './useReadTracker';
import { useThread } from './useThread';
import { useThreadLive } from './useThreadLive';

const positiveInteger = (value: string | undefined) => (value && /^[1-9]\d{0,9}$/.test(value) ? Number(value) : null);

/** `/t/:id`, `/t/:id/:postNumber` and `/t/:id#post-N`. */
export function ThreadPage() {
  const params = useParams();
  const { hash } = useLocation();
  const threadId = positiveInteger(params.id);
  const postNumber = params.postNumber === undefined ? undefined : positiveInteger(params.postNumber);
  if (threadId === null || postNumber === null) return <NotFoundPage />;
  const fromHash = /^#post-(\d+)$/.exec(hash)?.[1];
  const target = postNumber ?? (fromHash ? Number(fromHash) : undefined);
  return <ThreadView key={threadId} threadId={threadId} target={target} />;
}

function ThreadView({ threadId, target }: { threadId: number; target: number | undefined }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const me = useMe().data;
  const thread = useThread(threadId);
  const data = thread.data;
  const meta = data ? threadMeta(data) : undefined;
  const posts = useMemo(() => (data ? loadedPosts(data) : []), [data]);
  const loaded = useMemo(() => new Set(posts.map((post) => post.postNumber)), [posts]);
  usePageTitle(meta?.title);

  const live = useThreadLive({
    threadId,
    cursor: data?.pages[0]?.highestPostNumber,
    loaded,
    complete: !thread.hasNextPage,
    meId: me?.id,
  });
  const observe = useReadTracker(threadId, meta?.lastReadPostNumber, Boolean(me) && !meta?.deleted);

  const [body, setBody] = useState('');
  const [replyTo, setReplyTo] = useState<Post | null>(null);
  const [highlight, setHighlight] = useState<number | undefined>(target);
  const textarea = useRef<HTMLTextAreaElement>(null);
  // Staff selecting posts to move: the ids ticked (null: not selecting).
  const [selecting, setSelecting] = useState<ReadonlySet<number> | null>(null);

  // A link to a post: load pages until it is there, then bring it into view (once per target).
  const reached = useRef<number | undefined>(undefined);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = thread;
  useEffect(() => {
    if (target === undefined || reached.current === target || !data) return;
    if (!loaded.has(target) && hasNextPage) {
      if (!isFetchingNextPage) void fetchNextPage();
      return;
    }
    reached.current = target;
    const post = posts.find((candidate) => candidate.postNumber >= target) ?? posts.at(-1);
    if (!post) return;
    setHighlight(post.postNumber);
    document.getElementById(`post-${post.postNumber}`)?.scrollIntoView({ block: 'start' });
  }, [target, data, loaded, posts, hasNextPage, isFetchingNextPage, fetchNextPage]);

  // The reader's own new reply: bring it into view once it is on the page.
  const [justPosted, setJustPosted] = useState<number | undefined>(undefined);
  useEffect(() => {
    if (justPosted === undefined || !loaded.has(justPosted)) return;
    document.getElementById(`post-${justPosted}`)?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    setJustPosted(undefined);
  }, [justPosted, loaded]);

  if (thread.isPending) return <Loading />;
  if (thread.error instanceof ApiError && thread.error.status === 404) return <NotFoundPage />;
  if (!data || !meta) return <LoadError error={thread.error} onRetry={() => void thread.refetch()} />;

  const selectable = selecting !== null && meta.canMovePosts && !meta.deleted;
  const toggleSelected = (post: Post) =>
    setSelecting((current) => {
      const next = new Set(current);
      if (next.has(post.id)) next.delete(post.id);
      else next.add(post.id);
      return next;
    });

  // Staff may still reply in a locked thread; the server says who can.
  const canReply = Boolean(me) && meta.canReply && !meta.deleted;

  const focusComposer = () => {
    const element = textarea.current;
    if (!element) return;
    element.scrollIntoView({ block: 'center', behavior: 'smooth' });
    element.focus({ preventScroll: true });
  };

  const onReply = (post: Post) => {
    setReplyTo(post);
    focusComposer();
  };

  const onQuote = (post: Post) => {
    const element = textarea.current;
    const caret = element && document.activeElement === element ? element.selectionStart : null;
    const quote = quoteOf(post);
    const next = insertAt(body, quote, caret);
    setBody(next);
    // Put the caret after the quote, ready to answer it.
    const at = next.length - (body.length - (caret ?? body.length));
    requestAnimationFrame(() => {
      focusComposer();
      textarea.current?.setSelectionRange(at, at);
    });
  };

  return (
    <div className="thread-page">
      <ThreadHeader thread={meta} onSelectPosts={() => setSelecting(new Set())} />
      {meta.kind === 'idea' ? <IdeaPanel threadId={threadId} category={meta.category} /> : null}

      <div className="post-stream" data-testid="post-stream">
        {posts.map((post) => (
          <PostView
            key={post.id}
            post={post}
            canReply={canReply}
            highlighted={post.postNumber === highlight}
            onReply={onReply}
            onQuote={onQuote}
            articleRef={observe}
            selection={selectable ? { selected: selecting.has(post.id), onToggle: toggleSelected } : undefined}
          />
        ))}
      </div>

      <ThreadPosition highest={Math.max(data?.pages[0]?.highestPostNumber ?? 0, posts.at(-1)?.postNumber ?? 0)} />
      <LoadMore
        hasMore={Boolean(thread.hasNextPage)}
        loading={thread.isFetchingNextPage}
        onLoad={() => void thread.fetchNextPage()}
        label={t('thread.loadMorePosts')}
        testId="load-more-posts"
      />
      {thread.isFetchNextPageError ? (
        <LoadError error={thread.error} onRetry={() => void thread.fetchNextPage()} />
      ) : null}

      {live.newCount > 0 ? (
        <div className="new-replies">
          <button
            type="button"
            className="new-replies-bar"
            data-testid="new-replies-bar"
            disabled={live.loadingNew}
            onClick={() => void live.loadNew()}
          >
            {live.loadingNew ? t('app.loading') : t('thread.newReplies', { count: live.newCount })}
          </button>
        </div>
      ) : null}

      {selectable ? (
        <MovePostsBar
          thread={meta}
          selected={posts.filter((post) => selecting.has(post.id))}
          onDone={() => setSelecting(null)}
        />
      ) : null}

      {me && !meta.deleted ? (
        <NotificationLevelSelect place="threads" id={threadId} level={meta.notificationLevel} />
      ) : null}
      {meta.locked ? (
        <p className="locked-notice" role="status" data-testid="locked-notice">
          <Icon name="lock" /> {canReply ? t('thread.lockedStaffNotice') : t('thread.lockedNotice')}
        </p>
      ) : null}
      {!me ? (
        meta.locked ? null : (
          <SignInPrompt message={t('thread.signInToReply')} />
        )
      ) : canReply ? (
        <ReplyComposer
          threadId={threadId}
          body={body}
          onBodyChange={setBody}
          replyTo={replyTo}
          onCancelReplyTo={() => setReplyTo(null)}
          textareaRef={textarea}
          onPosted={(post) => {
            setBody('');
            setReplyTo(null);
            setHighlight(post.postNumber);
            setJustPosted(post.postNumber);
          }}
          onLocked={() => patchThread(queryClient, threadId, { locked: true, canReply: false })}
        />
      ) : null}
    </div>
  );
}
