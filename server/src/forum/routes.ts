import {
  Category,
  CategoryBody,
  CategoryOrderBody,
  CategoryPatch,
  CreatePostBody,
  CreateThreadBody,
  IdParams,
  LikeResponse,
  ModerateThreadBody,
  MovePostsBody,
  MovePostsResponse,
  Page,
  Post,
  PostQueuedResponse,
  PreviewBody,
  PreviewResponse,
  ReadBody,
  ReadResponse,
  RevisionList,
  ThreadDetail,
  ThreadListQuery,
  ThreadQuery,
  ThreadSummary,
  UpdatePostBody,
  UpdateThreadBody,
} from '@fanlab/shared';
import type { User } from 'lucia';
import { Type } from 'typebox';
import { isStaff, requireUser, requireVoice } from '../auth/policy';
import type { Db } from '../db/connect';
import { withTx } from '../db/tx';
import type { App } from '../http/app-type';
import { enforce, errorResponses, notFound } from '../http/errors';
import { consume, type Limit } from '../http/rate-limit';
import { listCache, threadCache } from '../http/response-cache';
import { toQueuedPost } from '../moderation/present';
import { ownQueuedPosts } from '../moderation/queries';
import { queuePost } from '../moderation/queued-posts';
import type { SiteSettingsStore } from '../settings/store';
import { createCategory, deleteCategory, reorderCategories, updateCategory } from './actions/categories';
import { movePosts } from './actions/move-posts';
import { createPost, deletePost, draftPost, editPost, markRead, restorePost, setLike } from './actions/posts';
import { createThread, deleteThread, moderateThread, restoreThread, updateTitle } from './actions/threads';
import type { CategorySource } from './category-places';
import { forumPolicy } from './policy';
import { toCategory, toPost } from './present';
import type { ThreadPageCache } from './queries';
import {
  findCategoryBySlug,
  findCategoryRelatives,
  findPost,
  getThreadDetail,
  latestThreadsPerCategory,
  listCategories,
  listRevisions,
  listThreads,
} from './queries';
import type { ReaderMarksLoader } from './reader-marks';
import { cleanText, renderPost } from './render';

/** Rate limits not among the site settings (threads and posts are: by trust level). */
export interface ForumLimits {
  /** Edits render Markdown and keep a revision each: limited like posting. */
  editPost: Limit;
  renameThread: Limit;
  /** Likes and unlikes together. */
  like: Limit;
  preview: Limit;
}

const SlugParams = Type.Object({ slug: Type.String({ maxLength: 50 }) });
const LATEST_PER_CATEGORY = 3;

export function forumRoutes(
  app: App,
  db: Db,
  limits: ForumLimits,
  settings: SiteSettingsStore,
  pages: ThreadPageCache,
  readers: ReaderMarksLoader,
  categories: CategorySource,
) {
  const tags = ['forum'];
  const viewRules = () => ({ newMembersMayFlag: settings.current.newMemberCanFlag });
  /** The 202 to a post held for approval: the held post as its author sees it. */
  const queuedAnswer = async (authorId: number, queuedId: number) => {
    const [row] = await ownQueuedPosts(db, authorId, { limit: 1, only: queuedId });
    if (!row) throw notFound('The held post');
    return { queued: toQueuedPost(row) };
  };
  const posting = () => ({ settings: settings.current, check: true });
  /** Posting limits by trust level: new members' are tighter. */
  const postingLimit = (user: User, kind: 'thread' | 'post') => {
    const s = settings.current;
    const isNew = user.trust_level === 0 && !isStaff(user);
    if (kind === 'thread') return isNew ? s.threadLimitNewMember : s.threadLimit;
    return isNew ? s.postLimitNewMember : s.postLimit;
  };

  app.get(
    '/api/categories',
    {
      config: listCache,
      schema: {
        tags,
        summary: 'All categories (parents before their sub-categories) with their latest threads',
        response: {
          200: Type.Object({
            categories: Type.Array(
              Type.Intersect([Category, Type.Object({ latestThreads: Type.Array(ThreadSummary) })]),
            ),
          }),
        },
      },
    },
    async (request) => {
      const categories = await listCategories(db);
      const viewer = request.user;
      const latest = await latestThreadsPerCategory(db, viewer, LATEST_PER_CATEGORY);
      return {
        categories: categories.map((c) => ({
          ...toCategory(c, viewer),
          latestThreads: latest.filter((t) => t.categoryId === c.id),
        })),
      };
    },
  );

  app.get(
    '/api/categories/:slug',
    {
      config: listCache,
      schema: {
        tags,
        summary: 'One category with its parent and sub-categories',
        params: SlugParams,
        response: {
          200: Type.Object({
            category: Category,
            parent: Type.Union([Category, Type.Null()]),
            children: Type.Array(Category),
          }),
          ...errorResponses(404),
        },
      },
    },
    async (request) => {
      const category = await findCategoryBySlug(db, request.params.slug);
      const { parent, children } = await findCategoryRelatives(db, category);
      return {
        category: toCategory(category, request.user),
        parent: parent ? toCategory(parent, request.user) : null,
        children: children.map((c) => toCategory(c, request.user)),
      };
    },
  );

  app.post(
    '/api/admin/categories',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create a category (admins)',
        body: CategoryBody,
        response: { 201: Category, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const admin = requireUser(request);
      enforce(forumPolicy.manageCategories(admin));
      const row = await withTx(db, (tx) => createCategory(tx, admin.id, request.body));
      return reply.code(201).send(toCategory(row, admin));
    },
  );

  app.patch(
    '/api/admin/categories/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'Change a category (admins)',
        params: IdParams,
        body: CategoryPatch,
        response: { 200: Category, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const admin = requireUser(request);
      enforce(forumPolicy.manageCategories(admin));
      return toCategory(await withTx(db, (tx) => updateCategory(tx, admin.id, request.params.id, request.body)), admin);
    },
  );

  app.put(
    '/api/admin/categories/order',
    {
      schema: {
        tags: ['admin'],
        summary: "Put one parent's sub-categories (or the top level) in order (admins)",
        description:
          '`order` lists every sibling exactly once, first first; their positions are written in one ' +
          'transaction. 409 `category_order_stale` when the list is not the current siblings.',
        body: CategoryOrderBody,
        response: {
          200: Type.Object({ categories: Type.Array(Category) }),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) => {
      const admin = requireUser(request);
      enforce(forumPolicy.manageCategories(admin));
      const { parentId, order } = request.body;
      const rows = await withTx(db, (tx) => reorderCategories(tx, admin.id, parentId, order));
      return { categories: rows.map((row) => toCategory(row, admin)) };
    },
  );

  app.delete(
    '/api/admin/categories/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'Delete an empty category (admins)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const admin = requireUser(request);
      enforce(forumPolicy.manageCategories(admin));
      await withTx(db, (tx) => deleteCategory(tx, admin.id, request.params.id));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/threads',
    {
      config: listCache,
      schema: {
        tags,
        summary: 'Thread list: a category (with sub-categories, pinned first) or Latest; keyset-paginated',
        querystring: ThreadListQuery,
        response: { 200: Page(ThreadSummary), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => listThreads(db, request.user, request.query, categories),
  );

  app.post(
    '/api/threads',
    {
      schema: {
        tags,
        summary: 'Start a thread',
        body: CreateThreadBody,
        response: {
          201: ThreadDetail,
          202: { ...PostQueuedResponse, description: 'Held for a moderator’s approval: nothing is published yet' },
          ...errorResponses(400, 401, 403, 404, 422, 429),
        },
      },
    },
    async (request, reply) => {
      const user = requireVoice(request);
      await consume(db, `thread:user:${user.id}`, postingLimit(user, 'thread'));
      const { body, ...input } = request.body;
      const draft = await draftPost(db, body);
      const made = await withTx(db, async (tx) => {
        const result = await createThread(tx, user, input, draft, posting());
        if (typeof result === 'number') return result;
        const title = cleanText(input.title).trim();
        const queued = {
          kind: 'thread' as const,
          categoryId: input.categoryId,
          title,
          threadKind: input.kind ?? 'discussion',
          draft,
        };
        return { queued: await queuePost(tx, user, queued, result.held, settings.current) };
      });
      if (typeof made !== 'number') return reply.code(202).send(await queuedAnswer(user.id, made.queued));
      return reply.code(201).send(await getThreadDetail(db, user, made, 0, 20, viewRules()));
    },
  );

  app.get(
    '/api/threads/:id',
    {
      config: threadCache,
      schema: {
        tags,
        summary: 'A thread with a page of its posts (by post number: pass nextAfter as ?after=)',
        params: IdParams,
        querystring: ThreadQuery,
        response: { 200: ThreadDetail, ...errorResponses(400, 404) },
      },
    },
    async (request) =>
      getThreadDetail(
        db,
        request.user,
        request.params.id,
        request.query.after ?? 0,
        request.query.limit ?? 20,
        viewRules(),
        pages,
        readers,
      ),
  );

  app.patch(
    '/api/threads/:id',
    {
      schema: {
        tags,
        summary: 'Rename a thread (author or staff; the old title is kept in the first post’s history)',
        params: IdParams,
        body: UpdateThreadBody,
        response: { 200: ThreadDetail, ...errorResponses(400, 401, 403, 404, 429) },
      },
    },
    async (request) => {
      const user = requireVoice(request);
      await consume(db, `rename:user:${user.id}`, limits.renameThread);
      await withTx(db, (tx) => updateTitle(tx, user, request.params.id, request.body.title, posting()));
      return getThreadDetail(db, user, request.params.id, 0, 20, viewRules());
    },
  );

  app.patch(
    '/api/threads/:id/moderation',
    {
      schema: {
        tags,
        summary: 'Pin (optionally until a time), lock, unlist or move a thread (staff; audited)',
        params: IdParams,
        body: ModerateThreadBody,
        response: { 200: ThreadDetail, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      await withTx(db, (tx) => moderateThread(tx, user, request.params.id, request.body));
      return getThreadDetail(db, user, request.params.id, 0, 20, viewRules());
    },
  );

  app.post(
    '/api/threads/:id/move-posts',
    {
      schema: {
        tags,
        summary:
          'Move posts to another thread or a new one (staff; audited). All of them: a merge, the thread is deleted',
        params: IdParams,
        body: MovePostsBody,
        response: { 200: MovePostsResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const { postIds, destination } = request.body;
      const threadId = await withTx(db, (tx) => movePosts(tx, user, request.params.id, postIds, destination));
      return { threadId };
    },
  );

  app.delete(
    '/api/threads/:id',
    {
      schema: {
        tags,
        summary: 'Delete a thread (soft; staff, or its author while nobody else replied)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      await withTx(db, (tx) => deleteThread(tx, user, request.params.id));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/threads/:id/restore',
    {
      schema: {
        tags,
        summary: 'Restore a deleted thread (staff)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      await withTx(db, (tx) => restoreThread(tx, user, request.params.id));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/threads/:id/posts',
    {
      schema: {
        tags,
        summary: 'Reply in a thread (optionally to one of its posts)',
        params: IdParams,
        body: CreatePostBody,
        response: {
          201: Post,
          202: { ...PostQueuedResponse, description: 'Held for a moderator’s approval: nothing is published yet' },
          ...errorResponses(400, 401, 403, 404, 409, 422, 429),
        },
      },
    },
    async (request, reply) => {
      const user = requireVoice(request);
      await consume(db, `post:user:${user.id}`, postingLimit(user, 'post'));
      const draft = await draftPost(db, request.body.body);
      const { replyToPostNumber } = request.body;
      const made = await withTx(db, async (tx) => {
        const result = await createPost(tx, user, request.params.id, draft, replyToPostNumber, posting());
        if (typeof result === 'number') return result;
        const queued = { kind: 'reply' as const, threadId: request.params.id, replyToPostNumber, draft };
        return { queued: await queuePost(tx, user, queued, result.held, settings.current) };
      });
      if (typeof made !== 'number') return reply.code(202).send(await queuedAnswer(user.id, made.queued));
      return reply.code(201).send(toPost(await findPost(db, user, made), user, viewRules()));
    },
  );

  app.put(
    '/api/threads/:id/read',
    {
      schema: {
        tags,
        summary: 'Move your read marker forward to a post number',
        params: IdParams,
        body: ReadBody,
        response: { 200: ReadResponse, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const last = await withTx(db, (tx) =>
        markRead(tx, user.id, request.params.id, request.body.postNumber, settings.current),
      );
      if (last === undefined) throw notFound('The thread');
      return { lastReadPostNumber: last };
    },
  );

  app.patch(
    '/api/posts/:id',
    {
      schema: {
        tags,
        summary: 'Edit a post (author or staff; revisions are kept)',
        params: IdParams,
        body: UpdatePostBody,
        response: { 200: Post, ...errorResponses(400, 401, 403, 404, 429) },
      },
    },
    async (request) => {
      const user = requireVoice(request);
      await consume(db, `edit:user:${user.id}`, limits.editPost);
      const draft = await draftPost(db, request.body.body);
      await withTx(db, (tx) => editPost(tx, user, request.params.id, draft, posting()));
      return toPost(await findPost(db, user, request.params.id), user, viewRules());
    },
  );

  app.delete(
    '/api/posts/:id',
    {
      schema: {
        tags,
        summary: 'Delete a reply (soft; author or staff)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      await withTx(db, (tx) => deletePost(tx, user, request.params.id));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/posts/:id/restore',
    {
      schema: {
        tags,
        summary: 'Restore a deleted reply (staff)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      await withTx(db, (tx) => restorePost(tx, user, request.params.id));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/posts/:id/revisions',
    {
      schema: {
        tags,
        summary: 'Edit history of a post (staff)',
        params: IdParams,
        response: { 200: RevisionList, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => listRevisions(db, requireUser(request), request.params.id),
  );

  for (const [method, like] of [
    ['put', true],
    ['delete', false],
  ] as const) {
    app[method](
      '/api/posts/:id/like',
      {
        schema: {
          tags,
          summary: like ? 'Like a post (idempotent)' : 'Take a like back (idempotent)',
          params: IdParams,
          response: { 200: LikeResponse, ...errorResponses(401, 403, 404, 429) },
        },
      },
      async (request) => {
        const user = requireVoice(request);
        await consume(db, `like:user:${user.id}`, limits.like);
        return withTx(db, (tx) => setLike(tx, user, request.params.id, like, settings.current));
      },
    );
  }

  app.post(
    '/api/markdown/preview',
    {
      schema: {
        tags,
        summary: 'Render Markdown exactly as a saved post would be',
        body: PreviewBody,
        response: { 200: PreviewResponse, ...errorResponses(400, 401, 429) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      await consume(db, `preview:user:${user.id}`, limits.preview);
      return { cooked: (await renderPost(db, request.body.body)).html };
    },
  );
}
