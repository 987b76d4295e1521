import type { CreatePostBody, CreateThreadBody, ModerateThreadBody, MovePostsBody, Post } from '@fanlab/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { bookmarkKeys } from '../account/bookmarkKeys';
import { setBookmark } from '../api/bookmarks';
import {
  createPost,
  createThread,
  deletePost,
  deleteThread,
  isQueued,
  likePost,
  moderateThread,
  movePosts,
  restorePost,
  restoreThread,
  unlikePost,
  updatePost,
  updateThread,
} from '../api/forum';
import { ideaKeys } from '../ideas/queryKeys';
import { forumKeys } from './queryKeys';
import { appendOwnPost, patchPost, patchThread, refreshPost } from './threadCache';

export function useCreateThread() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateThreadBody) => createThread(body),
    onSuccess: (thread) => {
      if (isQueued(thread)) {
        void queryClient.invalidateQueries({ queryKey: forumKeys.queuedPosts });
        return;
      }
      queryClient.setQueryData(forumKeys.thread(thread.id), { pages: [thread], pageParams: [0] });
      void queryClient.invalidateQueries({ queryKey: forumKeys.threadLists });
      void queryClient.invalidateQueries({ queryKey: forumKeys.categories });
      if (thread.kind === 'idea') void queryClient.invalidateQueries({ queryKey: ideaKeys.lists });
    },
  });
}

/** Posts a reply and appends it to the loaded thread. */
export function useCreatePost(threadId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreatePostBody) => createPost(threadId, body),
    onSuccess: (post) => {
      if (isQueued(post)) {
        void queryClient.invalidateQueries({ queryKey: forumKeys.queuedPosts });
        return;
      }
      appendOwnPost(queryClient, threadId, post);
      void queryClient.invalidateQueries({ queryKey: forumKeys.threadLists });
    },
  });
}

export function useToggleLike(threadId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (post: Post) => (post.likedByMe ? unlikePost(post.id) : likePost(post.id)),
    onSuccess: (result, post) =>
      patchPost(queryClient, threadId, post.id, { likedByMe: result.liked, likeCount: result.likeCount }),
  });
}

/** Bookmarks a post or takes the bookmark back; the reader's bookmarks list loads again when next shown. */
export function useToggleBookmark(threadId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (post: Post) => setBookmark(post.id, !post.bookmarkedByMe),
    onSuccess: (result, post) => {
      patchPost(queryClient, threadId, post.id, { bookmarkedByMe: result.bookmarked });
      void queryClient.invalidateQueries({ queryKey: bookmarkKeys.all, refetchType: 'none' });
    },
  });
}

export function useEditPost(threadId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ postId, body }: { postId: number; body: string }) => updatePost(postId, body),
    onSuccess: (post) => {
      patchPost(queryClient, threadId, post.id, post);
      void queryClient.invalidateQueries({ queryKey: forumKeys.revisions(post.id) });
    },
  });
}

/**
 * Deletes (or, for staff, restores) a post. The cache is edited rather than refetched, so that
 * replies posted meanwhile by others stay behind the "new replies" bar. A deleted post keeps its
 * text only for readers who may see deleted text (canSeeHistory).
 */
export function useSetPostDeleted(threadId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ post, deleted }: { post: Post; deleted: boolean }) =>
      deleted ? deletePost(post.id) : restorePost(post.id),
    onSuccess: (_, { post, deleted }) => {
      if (deleted) {
        patchPost(queryClient, threadId, post.id, {
          deleted,
          cooked: post.canSeeHistory ? post.cooked : '',
          canEdit: false,
        });
      } else {
        patchPost(queryClient, threadId, post.id, { deleted: false });
        void refreshPost(queryClient, threadId, post.postNumber);
      }
      void queryClient.invalidateQueries({ queryKey: forumKeys.threadLists });
    },
  });
}

export function useRenameThread(threadId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (title: string) => updateThread(threadId, title),
    onSuccess: (thread) => {
      patchThread(queryClient, threadId, { title: thread.title });
      void queryClient.invalidateQueries({ queryKey: forumKeys.threadLists });
    },
  });
}

export function useSetThreadDeleted(threadId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (deleted: boolean) => (deleted ? deleteThread(threadId) : restoreThread(threadId)),
    onSuccess: (_, deleted) => {
      patchThread(queryClient, threadId, { deleted });
      void queryClient.invalidateQueries({ queryKey: forumKeys.thread(threadId) });
      void queryClient.invalidateQueries({ queryKey: forumKeys.threadLists });
      void queryClient.invalidateQueries({ queryKey: forumKeys.categories });
    },
  });
}

/** Staff: pin, lock, unlist or move the thread; the page and the lists reload. */
export function useModerateThread(threadId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ModerateThreadBody) => moderateThread(threadId, body),
    onSuccess: (thread) => {
      patchThread(queryClient, threadId, {
        pinned: thread.pinned,
        pinnedUntil: thread.pinnedUntil,
        locked: thread.locked,
        unlisted: thread.unlisted,
        category: thread.category,
        canReply: thread.canReply,
      });
      void queryClient.invalidateQueries({ queryKey: forumKeys.threadLists });
      void queryClient.invalidateQueries({ queryKey: forumKeys.categories });
    },
  });
}

/** Staff: move posts of the thread elsewhere; both threads, the lists and the categories reload. */
export function useMovePosts(threadId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: MovePostsBody) => movePosts(threadId, body),
    onSuccess: ({ threadId: destination }) => {
      void queryClient.invalidateQueries({ queryKey: forumKeys.thread(threadId) });
      void queryClient.invalidateQueries({ queryKey: forumKeys.thread(destination) });
      void queryClient.invalidateQueries({ queryKey: forumKeys.threadLists });
      void queryClient.invalidateQueries({ queryKey: forumKeys.categories });
    },
  });
}
