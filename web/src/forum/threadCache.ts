import type { Post, ThreadDetail } from '@fanlab/shared';
import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import { getThread } from '../api/forum';
import { forumKeys } from './queryKeys';

/** A thread in the cache: the pages of posts loaded so far, each keyed by its `after`. */
export type ThreadPages = InfiniteData<ThreadDetail, number>;

/** The thread's details without posts, as of the page fetched last. */
export type ThreadMeta = Omit<ThreadDetail, 'posts' | 'nextAfter'>;

export function threadMeta(data: Pick<ThreadPages, 'pages'>): ThreadMeta | undefined {
  const last = data.pages.at(-1);
  if (!last) return undefined;
  const { posts: _posts, nextAfter: _nextAfter, ...meta } = last;
  return meta;
}

/** Every loaded post once (pages may overlap), in post-number order. */
export function loadedPosts(data: Pick<ThreadPages, 'pages'>): Post[] {
  const byNumber = new Map<number, Post>();
  for (const page of data.pages) for (const post of page.posts) byNumber.set(post.postNumber, post);
  return [...byNumber.values()].sort((a, b) => a.postNumber - b.postNumber);
}

function update(queryClient: QueryClient, threadId: number, change: (data: ThreadPages) => ThreadPages) {
  queryClient.setQueryData<ThreadPages>(forumKeys.thread(threadId), (data) => (data ? change(data) : data));
}

/** Changes one post wherever it is loaded. */
export function patchPost(
  queryClient: QueryClient,
  threadId: number,
  postId: number,
  patch: Partial<Post> | ((post: Post) => Partial<Post>),
) {
  update(queryClient, threadId, (data) => ({
    ...data,
    pages: data.pages.map((page) => ({
      ...page,
      posts: page.posts.map((post) =>
        post.id === postId ? { ...post, ...(typeof patch === 'function' ? patch(post) : patch) } : post,
      ),
    })),
  }));
}

/** Changes the thread's details on every page. */
export function patchThread(queryClient: QueryClient, threadId: number, patch: Partial<ThreadMeta>) {
  update(queryClient, threadId, (data) => ({ ...data, pages: data.pages.map((page) => ({ ...page, ...patch })) }));
}

/** Adds a page fetched outside the infinite query (new replies announced live). */
export function appendPage(queryClient: QueryClient, threadId: number, after: number, page: ThreadDetail) {
  update(queryClient, threadId, (data) => ({
    pages: [...data.pages, page],
    pageParams: [...data.pageParams, after],
  }));
}

/** The reader's own reply, shown at once at the end of the thread. */
export function appendOwnPost(queryClient: QueryClient, threadId: number, post: Post) {
  update(queryClient, threadId, (data) => {
    const lastIndex = data.pages.length - 1;
    return {
      ...data,
      pages: data.pages.map((page, index) => ({
        ...page,
        highestPostNumber: Math.max(page.highestPostNumber, post.postNumber),
        replyCount: page.replyCount + 1,
        lastReadPostNumber: Math.max(page.lastReadPostNumber, post.postNumber),
        posts: index === lastIndex ? [...page.posts, post] : page.posts,
      })),
    };
  });
}

/** Reloads one post (after it changed elsewhere) without loading anything else. */
export async function refreshPost(queryClient: QueryClient, threadId: number, postNumber: number): Promise<void> {
  // A refresh after a change that succeeded: if it cannot be read now (offline, the thread gone
  // from this reader's view), the page keeps what it shows and the thread's live channel or the
  // next load brings the post; the change itself is not reported as failed.
  const page = await getThread(threadId, postNumber - 1, 1).catch(() => null);
  const post = page?.posts.find((candidate) => candidate.postNumber === postNumber);
  if (post) patchPost(queryClient, threadId, post.id, post);
}

/** Takes posts that moved to another thread off the page (by post number). */
export function removePosts(queryClient: QueryClient, threadId: number, postNumbers: readonly number[]) {
  const gone = new Set(postNumbers);
  update(queryClient, threadId, (data) => withoutPosts(data, gone));
}

/** The pages without the posts numbered in `gone`. */
export function withoutPosts(data: ThreadPages, gone: ReadonlySet<number>): ThreadPages {
  return {
    ...data,
    pages: data.pages.map((page) => ({ ...page, posts: page.posts.filter((post) => !gone.has(post.postNumber)) })),
  };
}
