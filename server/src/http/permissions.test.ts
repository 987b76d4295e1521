// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected field by field

import type { CreateBetaProgramBody } from '@fanlab/shared';
import { defaultSiteSettings, type ErrorCode, ErrorCodes, type Role } from '@fanlab/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, PASSWORD, startTestApp, type TestApp } from '../../test/app';
import { appTables, changedTables, type DigestOptions, digest } from '../../test/digest';
import { makeAccount, makeCategory, makeIdea, makePost, makeThread } from '../../test/factories';
import { readOperations, WRITE_METHODS } from '../../test/hostile';
import { PNG } from '../../test/image-host';
import { confirmationToken, lastMailTo } from '../../test/mail';
import { fannedOut } from '../../test/releases';
import { applyToProgram } from '../beta/actions/applications';
import { createProgram, draftProgram, updateProgram } from '../beta/actions/programs';
import { setBookmark } from '../bookmarks/actions';
import type { CategoryRow, UserRow } from '../db/schema';
import { withTx } from '../db/tx';
import { deletePost, draftPost, setLike } from '../forum/actions/posts';
import { deleteThread } from '../forum/actions/threads';
import { forumPolicy } from '../forum/policy';
import { mergeIdeas } from '../ideas/actions';
import { addStaffNote, flagPost, sanctionUser, setClaim } from '../moderation/actions';
import { moderationPolicy } from '../moderation/policy';
import { queuePost } from '../moderation/queued-posts';
import { defaultModerationSettings } from '../moderation/settings';
import { createRelease, publishRelease } from '../releases/actions';
import { createToken } from '../tokens/actions';
import type { App } from './app-type';

/*
 * The permission matrix (issue 9): every mutating operation of the app's OpenAPI description ×
 * every actor, against the real API on PostgreSQL. Each cell builds its own fresh target (so one
 * actor's success cannot change another's case), sends the request as that actor and compares
 * the answer with the table: `ok` (2xx) or the exact status and error code of the refusal. Every
 * refused request must leave the database as it found it (a digest of every table before and
 * after). A mutating operation without a row, or a row without an operation, fails the test.
 *
 * Actors, in the order of every row's expectations:
 *   anonymous · new_member · member · silenced · suspended · moderator · product_manager · admin · author
 * - new_member is a new account (trust level 0) on its first day, with the default site settings
 *   of what new members may not do (they may not flag); member is a TL2 member. Sanctioned
 *   members, the author and staff are TL1 (staff are not held to trust levels).
 * - silenced and suspended are members sanctioned by the moderation rule (sanctionUser).
 *   A suspended member's request carries a session that outlived the suspension: the server
 *   ends it and treats the request as anonymous (each case also checks the session is gone).
 * - author is a member who wrote the target (its thread, post or idea); where the target is an
 *   account (role change) it is that account, and where there is no author (categories, sign-up)
 *   it is one more member.
 * Sessions are opened with the app's own Lucia instance (`app.auth.createSession`, what sign-in
 * does after checking the password), so the matrix costs no argon2 per case.
 */

const ACTORS = [
  'anonymous',
  'new_member',
  'member',
  'silenced',
  'suspended',
  'moderator',
  'product_manager',
  'admin',
  'author',
] as const;
type ActorName = (typeof ACTORS)[number];

/** `ok`: any 2xx. Otherwise the refusal's status and error code. */
type Outcome = 'ok' | readonly [status: number, code: ErrorCode];
type Expectations = readonly [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome];

const ok = 'ok';
const unauth = [401, ErrorCodes.unauthenticated] as const;
const forbidden = [403, ErrorCodes.forbidden] as const;
const silenced = [403, ErrorCodes.silenced] as const;
const ownPost = [403, ErrorCodes.ownPost] as const;
const suspended = [403, ErrorCodes.suspended] as const;
const gone = [404, ErrorCodes.notFound] as const;
const hasReplies = [409, ErrorCodes.hasReplies] as const;
const ownRole = [409, ErrorCodes.ownRole] as const;
const claimed = [409, ErrorCodes.reviewClaimed] as const;
const newMember = [403, ErrorCodes.newMemberLimit] as const;
const published = [409, ErrorCodes.releasePublished] as const;
const notEligible = [422, ErrorCodes.betaNotEligible] as const;

/** What a row's `build` gets: the app, this case's actor and the accounts around it. */
interface Case {
  t: TestApp;
  actor: ActorName;
  /** The account the request is sent as (null: anonymous). */
  user: UserRow | null;
  /** Who writes the target: the actor itself in the author column. */
  author: UserRow;
  /** A member who is none of the actors (replies, flags, mentions around the target). */
  bystander: UserRow;
  /** A moderator who is none of the actors (staff set-up: sanctions, deletions, merges, claims). */
  staff: UserRow;
  forum: CategoryRow;
  ideas: CategoryRow;
  /** Only staff start threads here. */
  staffOnly: CategoryRow;
}

/** The request of one case; `as` sends it as another account than the actor's (e.g. the target itself). */
interface Request {
  url: string;
  body?: unknown;
  as?: UserRow;
  headers?: Record<string, string>;
}

interface Cell {
  /** The request changes the actor's own account: every case gets a new account for its actor. */
  freshActors?: true;
  build(c: Case): Promise<Request>;
  expect: Expectations;
}

/**
 * One operation: its target in the ordinary state, and `states` of the target that change who
 * may act (a deleted thread is invisible to all but staff: 404; a claimed review item; …).
 */
interface Row extends Cell {
  states?: Record<string, Cell>;
}

let n = 0;
const unique = () => `${process.pid % 1000}_${++n}`;

// ---- targets, each made by the real rules ---------------------------------------------------------

const thread = (c: Case) => makeThread(c.t, c.author, { categoryId: c.forum.id });
const idea = (c: Case) => makeIdea(c.t, c.author, { categoryId: c.ideas.id });
/** A reply by the author in a thread of the bystander's. */
async function reply(c: Case) {
  const { id } = await makeThread(c.t, c.bystander, { categoryId: c.forum.id });
  return makePost(c.t, c.author, id, 'A reply to act on.');
}
/** A thread of the author's with a reply by the bystander, deleted by a moderator. */
async function deletedThread(c: Case) {
  const made = await thread(c);
  await makePost(c.t, c.bystander, made.id, 'A reply in a thread that goes.');
  await withTx(c.t.db, (tx) => deleteThread(tx, c.staff, made.id));
  return made;
}
/** A reply by the author in a thread of the bystander's that a moderator deleted. */
async function replyInDeletedThread(c: Case) {
  const { id } = await makeThread(c.t, c.bystander, { categoryId: c.forum.id });
  const postId = await makePost(c.t, c.author, id, 'A reply in a thread that goes.');
  await withTx(c.t.db, (tx) => deleteThread(tx, c.staff, id));
  return postId;
}
async function deletedIdea(c: Case) {
  const made = await idea(c);
  await withTx(c.t.db, (tx) => deleteThread(tx, c.staff, made.id));
  return made;
}
/** A reply by the author, flagged by the bystander: a pending review item. */
async function reviewItem(c: Case) {
  const postId = await reply(c);
  await withTx(c.t.db, (tx) => flagPost(tx, c.bystander, postId, { reason: 'spam' }, defaultModerationSettings));
  return c.t.db
    .selectFrom('reviewables')
    .select(['id', 'version'])
    .where('post_id', '=', postId)
    .executeTakeFirstOrThrow();
}
/** A reply by the author held for approval (a watched word): a pending queued_post item. */
async function heldItem(c: Case) {
  const { id } = await makeThread(c.t, c.bystander, { categoryId: c.forum.id });
  const draft = await draftPost(c.t.db, 'A reply waiting for a moderator.');
  const queuedId = await withTx(c.t.db, (tx) =>
    queuePost(tx, c.author, { kind: 'reply', threadId: id, draft }, 'watched_word', defaultSiteSettings),
  );
  return c.t.db
    .selectFrom('reviewables')
    .select(['id', 'version'])
    .where('queued_post_id', '=', queuedId)
    .executeTakeFirstOrThrow();
}
let releases = 0;
const releaseVersion = () => `7.${process.pid % 1000}.${++releases}`;
/** A draft release linking the author's idea, written by a product manager (published when asked). */
async function release(c: Case, state: 'draft' | 'published' = 'draft') {
  const writer = await makeAccount(c.t, { role: 'product_manager' });
  const ideaId = (await idea(c)).id;
  const id = await withTx(c.t.db, (tx) =>
    createRelease(
      tx,
      writer,
      { version: releaseVersion(), channel: 'beta', date: '2026-05-08', ideaIds: [ideaId] },
      undefined,
    ),
  );
  if (state === 'published') {
    await withTx(c.t.db, (tx) => publishRelease(tx, writer, id));
    await fannedOut(c.t.db);
  }
  return id;
}
/** A beta program's fields (each call a fresh slug). */
const betaBody = (mode: 'first_come' | 'reviewed' = 'first_come'): CreateBetaProgramBody => ({
  name: `Beta ${unique()}`,
  slug: `beta-${unique().replace('_', '-')}`,
  categoryId: world.forum.id,
  description: 'A beta to act on.',
  terms: 'Terms.',
  seats: 5,
  devices: [{ model: 'Fan One', quota: null }],
  regions: [],
  minAccountAgeDays: 0,
  minTrustLevel: 0,
  quiz: null,
  mode,
  opensAt: null,
  closesAt: null,
  feedbackCategoryId: null,
});
/** The product manager who runs the matrix's beta programs (none of the actors). */
let betaManager: UserRow | undefined;
/** A beta program, open unless `draft`. */
async function betaProgram(c: Case, options: { mode?: 'first_come' | 'reviewed'; draft?: true } = {}) {
  betaManager ??= await makeAccount(c.t, { role: 'product_manager' });
  const manager = betaManager;
  const body = betaBody(options.mode);
  const draft = await draftProgram(c.t.db, body.description);
  const id = await withTx(c.t.db, (tx) => createProgram(tx, manager, body, draft));
  if (!options.draft) {
    await withTx(c.t.db, (tx) => updateProgram(tx, manager, id, { state: 'open' }, { descriptionCooked: undefined }));
  }
  return id;
}
const betaApply = { deviceModel: 'Fan One', region: 'ES', consent: true };
/** The author's application to a fresh program (accepted; pending when reviewed). */
async function betaApplication(c: Case, mode: 'first_come' | 'reviewed' = 'first_come') {
  const programId = await betaProgram(c, { mode });
  const { applicationId } = await withTx(c.t.db, (tx) => applyToProgram(tx, c.author, programId, betaApply));
  return { programId, applicationId };
}
/** A session of `user`, as the cookie a browser sends. */
async function sessionCookie(app: App, userId: number) {
  const session = await app.auth.createSession(userId, {});
  const cookie = app.auth.createSessionCookie(session.id);
  return `${cookie.name}=${cookie.value}`;
}

// expect:   anonymous  new (TL0)  member     silenced   suspended  moderator  p. manager admin      author
// biome-ignore format: a table reads best aligned
const matrix: Record<string, Row> = {
  // ---- auth: what each actor gets from the sign-up and sign-in flow -------------------------------
  'POST /api/auth/sign-up': {
    build: async () => {
      const username = `new_${unique()}`;
      return { url: '/api/auth/sign-up', body: { username, email: `${username}@example.com`, password: PASSWORD } };
    },
    expect: [ok,        ok,        ok,        ok,        ok,        ok,        ok,        ok,        ok],
  },
  'POST /api/auth/sign-up/confirm': {
    build: async (c) => {
      const username = `new_${unique()}`;
      const email = `${username}@example.com`;
      const res = await new Client(c.t.app).post('/api/auth/sign-up', { username, email, password: PASSWORD });
      if (res.status !== 202) throw new Error(`sign-up: ${res.status}`);
      const token = confirmationToken((await lastMailTo(c.t.db, email)).text);
      return { url: '/api/auth/sign-up/confirm', body: { token } };
    },
    expect: [ok,        ok,        ok,        ok,        ok,        ok,        ok,        ok,        ok],
  },
  'POST /api/auth/sign-in': {
    // Each signs in to their own account (anonymous: to a new one).
    build: async (c) => {
      const account = c.user ?? (await makeAccount(c.t));
      return { url: '/api/auth/sign-in', body: { login: account.username, password: PASSWORD } };
    },
    expect: [ok,        ok,        ok,        ok,        suspended, ok,        ok,        ok,        ok],
  },
  'POST /api/auth/sign-out': {
    build: async () => ({ url: '/api/auth/sign-out' }),
    expect: [ok,        ok,        ok,        ok,        ok,        ok,        ok,        ok,        ok],
  },
  'POST /api/auth/sign-out-everywhere': {
    build: async () => ({ url: '/api/auth/sign-out-everywhere' }),
    expect: [unauth,    ok,        ok,        ok,        unauth,    ok,        ok,        ok,        ok],
  },
  'POST /api/auth/password': {
    freshActors: true,
    build: async () => ({
      url: '/api/auth/password',
      body: { currentPassword: PASSWORD, newPassword: `orbit-lantern-meadow-${unique()}` },
    }),
    expect: [unauth,    ok,        ok,        ok,        unauth,    ok,        ok,        ok,        ok],
  },
  'PATCH /api/me': {
    build: async () => ({ url: '/api/me', body: { locale: 'es' } }),
    expect: [unauth,    ok,        ok,        ok,        unauth,    ok,        ok,        ok,        ok],
  },
  // a member's own drafts: anyone signed in, silenced too (nobody else ever reads them)
  'PUT /api/me/drafts/{key}': {
    build: async (c) => ({ url: `/api/me/drafts/reply:${c.forum.id}`, body: { body: 'half a reply' } }),
    expect: [unauth,    ok,        ok,        ok,        unauth,    ok,        ok,        ok,        ok],
  },
  'DELETE /api/me/drafts/{key}': {
    build: async (c) => ({ url: `/api/me/drafts/reply:${c.forum.id}` }),
    expect: [unauth,    ok,        ok,        ok,        unauth,    ok,        ok,        ok,        ok],
  },
  'POST /api/me/tokens': {
    build: async () => ({ url: '/api/me/tokens', body: { name: 'nightly export', scopes: ['read:exports'], expiresInDays: 30 } }),
    expect: [unauth,    forbidden, forbidden, forbidden, unauth,    ok,        ok,        ok,        forbidden],
  },
  'DELETE /api/me/tokens/{id}': {
    // A product manager's token; the author column is its owner revoking it. Other staff may
    // not learn it exists (404).
    build: async (c) => {
      const owner = await makeAccount(c.t, { role: 'product_manager' });
      const { token } = await withTx(c.t.db, (tx) =>
        createToken(tx, owner, { name: 'to revoke', scopes: ['read:ideas'], expiresInDays: 1 }),
      );
      return { url: `/api/me/tokens/${token.id}`, ...(c.actor === 'author' ? { as: owner } : {}) };
    },
    expect: [unauth,    forbidden, forbidden, forbidden, unauth,    gone,      gone,      gone,      ok],
  },

  // ---- admin -------------------------------------------------------------------------------------------
  'PUT /api/admin/users/{id}/role': {
    // The target is a new account; the author column is that account asking for itself.
    build: async (c) => {
      const target = await makeAccount(c.t);
      return {
        url: `/api/admin/users/${target.id}/role`,
        body: { role: 'moderator' },
        ...(c.actor === 'author' ? { as: target } : {}),
      };
    },
    expect: [unauth,    forbidden, forbidden, forbidden, unauth,    forbidden, forbidden, ok,        forbidden],
    states: {
      // The author column is then an admin asking to change their own role.
      'the target is an admin': {
        build: async (c) => {
          const target = await makeAccount(c.t, { role: 'admin' });
          return {
            url: `/api/admin/users/${target.id}/role`,
            body: { role: 'member' },
            ...(c.actor === 'author' ? { as: target } : {}),
          };
        },
        expect: [unauth,    forbidden, forbidden, forbidden, unauth,    forbidden, forbidden, ok,        ownRole],
      },
    },
  },
  'POST /api/admin/categories': {
    build: async () => {
      const slug = `matrix-${unique().replace('_', '-')}`;
      return { url: '/api/admin/categories', body: { slug, name: `Matrix ${slug}` } };
    },
    expect: [unauth,    forbidden, forbidden, forbidden, unauth,    forbidden, forbidden, ok,        forbidden],
  },
  'PATCH /api/admin/categories/{id}': {
    build: async (c) => ({
      url: `/api/admin/categories/${(await makeCategory(c.t)).id}`,
      body: { name: 'Renamed by the matrix' },
    }),
    expect: [unauth,    forbidden, forbidden, forbidden, unauth,    forbidden, forbidden, ok,        forbidden],
  },
  'PUT /api/admin/categories/order': {
    // A parent of its own with two sub-categories, put in the other order.
    build: async (c) => {
      const parent = await makeCategory(c.t);
      const first = await makeCategory(c.t, { parentId: parent.id });
      const second = await makeCategory(c.t, { parentId: parent.id });
      return { url: '/api/admin/categories/order', body: { parentId: parent.id, order: [second.id, first.id] } };
    },
    expect: [unauth,    forbidden, forbidden, forbidden, unauth,    forbidden, forbidden, ok,        forbidden],
  },
  'DELETE /api/admin/categories/{id}': {
    build: async (c) => ({ url: `/api/admin/categories/${(await makeCategory(c.t)).id}` }),
    expect: [unauth,    forbidden, forbidden, forbidden, unauth,    forbidden, forbidden, ok,        forbidden],
  },

  'PATCH /api/admin/settings': {
    // A setting no other case depends on, to a new value each time (an equal value changes nothing).
    build: async () => ({ url: '/api/admin/settings', body: { reviewDeferHours: 2 + (n++ % 500) } }),
    expect: [unauth,    forbidden, forbidden, forbidden, unauth,    forbidden, forbidden, ok,        forbidden],
  },
  'PUT /api/moderation/users/{id}/trust-level': {
    // The target is a new account; the author column is that account asking for itself.
    build: async (c) => {
      const target = await makeAccount(c.t, { trustLevel: 0 });
      return {
        url: `/api/moderation/users/${target.id}/trust-level`,
        body: { level: 2 },
        ...(c.actor === 'author' ? { as: target } : {}),
      };
    },
    expect: [unauth,    forbidden, forbidden, forbidden, unauth,    ok,        forbidden, ok,        forbidden],
  },

  // ---- forum -------------------------------------------------------------------------------------------
  'POST /api/threads': {
    build: async (c) => ({
      url: '/api/threads',
      body: { categoryId: c.forum.id, title: `A new thread, ${unique()}`, body: 'Its first post.' },
    }),
    expect: [unauth,    ok,        ok,        silenced,  unauth,    ok,        ok,        ok,        ok],
    states: {
      'a staff-only category': {
        build: async (c) => ({
          url: '/api/threads',
          body: { categoryId: c.staffOnly.id, title: `A new thread, ${unique()}`, body: 'Its first post.' },
        }),
        expect: [unauth,    forbidden, forbidden, silenced,  unauth,    ok,        forbidden, ok,        forbidden],
      },
    },
  },
  'PATCH /api/threads/{id}': {
    build: async (c) => ({ url: `/api/threads/${(await thread(c)).id}`, body: { title: 'A better title for it' } }),
    expect: [unauth,    forbidden, forbidden, silenced,  unauth,    ok,        forbidden, ok,        ok],
    states: {
      'a deleted thread': {
        build: async (c) => ({
          url: `/api/threads/${(await deletedThread(c)).id}`,
          body: { title: 'A better title for it' },
        }),
        expect: [unauth,    gone,      gone,      silenced,  unauth,    forbidden, gone,      forbidden, gone],
      },
    },
  },
  'DELETE /api/threads/{id}': {
    build: async (c) => ({ url: `/api/threads/${(await thread(c)).id}` }),
    expect: [unauth,    forbidden, forbidden, forbidden, unauth,    ok,        forbidden, ok,        ok],
    states: {
      'others replied': {
        build: async (c) => {
          const { id } = await thread(c);
          await makePost(c.t, c.bystander, id, 'A reply by someone else.');
          return { url: `/api/threads/${id}` };
        },
        expect: [unauth,    forbidden, forbidden, forbidden, unauth,    ok,        forbidden, ok,        hasReplies],
      },
      'a deleted thread': {
        build: async (c) => ({ url: `/api/threads/${(await deletedThread(c)).id}` }),
        expect: [unauth,    gone,      gone,      gone,      unauth,    gone,      gone,      gone,      gone],
      },
    },
  },
  'POST /api/threads/{id}/restore': {
    // A thread its author deleted.
    build: async (c) => {
      const { id } = await thread(c);
      await withTx(c.t.db, (tx) => deleteThread(tx, c.author, id));
      return { url: `/api/threads/${id}/restore` };
    },
    expect: [unauth,    forbidden, forbidden, forbidden, unauth,    ok,        forbidden, ok,        forbidden],
  },
  'POST /api/threads/{id}/posts': {
    build: async (c) => ({ url: `/api/threads/${(await thread(c)).id}/posts`, body: { body: 'A reply.' } }),
    expect: [unauth,    ok,        ok,        silenced,  unauth,    ok,        ok,        ok,        ok],
    states: {
      'a deleted thread': {
        build: async (c) => ({ url: `/api/threads/${(await deletedThread(c)).id}/posts`, body: { body: 'A reply.' } }),
        expect: [unauth,    gone,      gone,      silenced,  unauth,    gone,      gone,      gone,      gone],
      },
    },
  },
  'PUT /api/threads/{id}/read': {
    // A thread of the author's with a reply by the bystander: post 2 is unread for everyone but them.
    build: async (c) => {
      const { id } = await thread(c);
      await makePost(c.t, c.bystander, id, 'A reply to read.');
      return { url: `/api/threads/${id}/read`, body: { postNumber: 2 } };
    },
    expect: [unauth,    ok,        ok,        ok,        unauth,    ok,        ok,        ok,        ok],
    states: {
      'a deleted thread': {
        build: async (c) => ({ url: `/api/threads/${(await deletedThread(c)).id}/read`, body: { postNumber: 2 } }),
        expect: [unauth,    gone,      gone,      gone,      unauth,    gone,      gone,      gone,      gone],
      },
    },
  },
  // notification levels: anyone signed in, silenced too, of a thread they can see; only ever their own
  'PUT /api/threads/{id}/notification-level': {
    build: async (c) => ({ url: `/api/threads/${(await thread(c)).id}/notification-level`, body: { level: 'muted' } }),
    expect: [unauth,    ok,        ok,        ok,        unauth,    ok,        ok,        ok,        ok],
    states: {
      'a deleted thread': {
        build: async (c) => ({
          url: `/api/threads/${(await deletedThread(c)).id}/notification-level`,
          body: { level: 'watching' },
        }),
        expect: [unauth,    gone,      gone,      gone,      unauth,    ok,        gone,      ok,        gone],
      },
    },
  },
  'PUT /api/categories/{id}/notification-level': {
    build: async (c) => ({ url: `/api/categories/${c.forum.id}/notification-level`, body: { level: 'watching' } }),
    expect: [unauth,    ok,        ok,        ok,        unauth,    ok,        ok,        ok,        ok],
  },
  'PATCH /api/posts/{id}': {
    build: async (c) => ({ url: `/api/posts/${await reply(c)}`, body: { body: 'An edited reply.' } }),
    expect: [unauth,    forbidden, forbidden, silenced,  unauth,    ok,        forbidden, ok,        ok],
    states: {
      'in a deleted thread': {
        build: async (c) => ({
          url: `/api/posts/${await replyInDeletedThread(c)}`,
          body: { body: 'An edited reply.' },
        }),
        expect: [unauth,    gone,      gone,      silenced,  unauth,    ok,        gone,      ok,        gone],
      },
    },
  },
  'DELETE /api/posts/{id}': {
    build: async (c) => ({ url: `/api/posts/${await reply(c)}` }),
    expect: [unauth,    forbidden, forbidden, forbidden, unauth,    ok,        forbidden, ok,        ok],
    states: {
      'in a deleted thread': {
        build: async (c) => ({ url: `/api/posts/${await replyInDeletedThread(c)}` }),
        expect: [unauth,    gone,      gone,      gone,      unauth,    ok,        gone,      ok,        gone],
      },
    },
  },
  'POST /api/posts/{id}/restore': {
    // A reply its author deleted.
    build: async (c) => {
      const postId = await reply(c);
      await withTx(c.t.db, (tx) => deletePost(tx, c.author, postId));
      return { url: `/api/posts/${postId}/restore` };
    },
    expect: [unauth,    forbidden, forbidden, forbidden, unauth,    ok,        forbidden, ok,        forbidden],
  },
  'PUT /api/posts/{id}/like': {
    build: async (c) => ({ url: `/api/posts/${await reply(c)}/like` }),
    expect: [unauth,    ok,        ok,        silenced,  unauth,    ok,        ok,        ok,        ownPost],
    states: {
      'in a deleted thread': {
        build: async (c) => ({ url: `/api/posts/${await replyInDeletedThread(c)}/like` }),
        expect: [unauth,    gone,      gone,      silenced,  unauth,    gone,      gone,      gone,      gone],
      },
    },
  },
  'DELETE /api/posts/{id}/like': {
    // The actor's like is on the reply wherever the like rule let them give one.
    build: async (c) => {
      const postId = await reply(c);
      const user = c.user;
      const post = await c.t.db.selectFrom('posts').selectAll().where('id', '=', postId).executeTakeFirstOrThrow();
      if (user && forumPolicy.likePost(user, post).ok) await withTx(c.t.db, (tx) => setLike(tx, user, postId, true));
      return { url: `/api/posts/${postId}/like` };
    },
    expect: [unauth,    ok,        ok,        silenced,  unauth,    ok,        ok,        ok,        ownPost],
  },
  // bookmarks: anyone signed in, silenced too, of a post they can see; only ever their own
  'PUT /api/posts/{id}/bookmark': {
    build: async (c) => ({ url: `/api/posts/${await reply(c)}/bookmark` }),
    expect: [unauth,    ok,        ok,        ok,        unauth,    ok,        ok,        ok,        ok],
    states: {
      'in a deleted thread': {
        build: async (c) => ({ url: `/api/posts/${await replyInDeletedThread(c)}/bookmark` }),
        expect: [unauth,    gone,      gone,      gone,      unauth,    gone,      gone,      gone,      gone],
      },
    },
  },
  'DELETE /api/posts/{id}/bookmark': {
    build: async (c) => {
      const postId = await reply(c);
      const user = c.user;
      if (user) await withTx(c.t.db, (tx) => setBookmark(tx, user, postId, true));
      return { url: `/api/posts/${postId}/bookmark` };
    },
    expect: [unauth,    ok,        ok,        ok,        unauth,    ok,        ok,        ok,        ok],
  },
  // image uploads: whoever may post; new members only where the site lets them post images
  'POST /api/uploads': {
    build: async () => ({ url: '/api/uploads', body: PNG, headers: { 'content-type': 'image/png' } }),
    expect: [unauth,    newMember, ok,        silenced,  unauth,    ok,        ok,        ok,        ok],
  },
  'POST /api/markdown/preview': {
    build: async () => ({ url: '/api/markdown/preview', body: { body: 'Some **bold** words.' } }),
    expect: [unauth,    ok,        ok,        ok,        unauth,    ok,        ok,        ok,        ok],
  },

  // ---- ideas -------------------------------------------------------------------------------------------
  'PUT /api/ideas/{id}/vote': {
    build: async (c) => ({ url: `/api/ideas/${(await idea(c)).id}/vote` }),
    expect: [unauth,    ok,        ok,        silenced,  unauth,    ok,        ok,        ok,        ok],
    states: {
      'a deleted idea': {
        build: async (c) => ({ url: `/api/ideas/${(await deletedIdea(c)).id}/vote` }),
        expect: [unauth,    gone,      gone,      silenced,  unauth,    gone,      gone,      gone,      gone],
      },
    },
  },
  'DELETE /api/ideas/{id}/vote': {
    // The actor's vote is on the idea wherever the vote writer took one from them (not silenced, signed in).
    build: async (c) => {
      const { id } = await idea(c);
      const user = c.user;
      if (user && c.actor !== 'silenced' && c.actor !== 'suspended') {
        const voter = new Client(c.t.app);
        voter.cookie = await sessionCookie(c.t.app, user.id);
        const res = await voter.request('PUT', `/api/ideas/${id}/vote`);
        if (res.status !== 200) throw new Error(`vote: ${res.status}`);
      }
      return { url: `/api/ideas/${id}/vote` };
    },
    expect: [unauth,    ok,        ok,        silenced,  unauth,    ok,        ok,        ok,        ok],
  },
  'PUT /api/ideas/{id}/status': {
    build: async (c) => ({ url: `/api/ideas/${(await idea(c)).id}/status`, body: { status: 'planned' } }),
    expect: [unauth,    forbidden, forbidden, forbidden, unauth,    ok,        ok,        ok,        forbidden],
    states: {
      'a deleted idea': {
        build: async (c) => ({ url: `/api/ideas/${(await deletedIdea(c)).id}/status`, body: { status: 'planned' } }),
        expect: [unauth,    forbidden, forbidden, forbidden, unauth,    gone,      gone,      gone,      forbidden],
      },
    },
  },
  'POST /api/ideas/status': {
    build: async (c) => ({ url: '/api/ideas/status', body: { ids: [(await idea(c)).id], status: 'planned' } }),
    expect: [unauth,    forbidden, forbidden, forbidden, unauth,    ok,        ok,        ok,        forbidden],
  },
  'PUT /api/ideas/{id}/tags': {
    build: async (c) => ({ url: `/api/ideas/${(await idea(c)).id}/tags`, body: { tags: ['mobile'] } }),
    expect: [unauth,    forbidden, forbidden, forbidden, unauth,    ok,        forbidden, ok,        forbidden],
  },
  'POST /api/ideas/{id}/merge': {
    // The author's idea into the bystander's.
    build: async (c) => {
      const into = await makeIdea(c.t, c.bystander, { categoryId: c.ideas.id });
      return { url: `/api/ideas/${(await idea(c)).id}/merge`, body: { intoId: into.id } };
    },
    expect: [unauth,    forbidden, forbidden, forbidden, unauth,    ok,        forbidden, ok,        forbidden],
  },
  'POST /api/ideas/{id}/unmerge': {
    // The author's idea, merged by a moderator into the bystander's.
    build: async (c) => {
      const into = await makeIdea(c.t, c.bystander, { categoryId: c.ideas.id });
      const { id } = await idea(c);
      await withTx(c.t.db, (tx) => mergeIdeas(tx, c.staff, id, into.id));
      return { url: `/api/ideas/${id}/unmerge` };
    },
    expect: [unauth,    forbidden, forbidden, forbidden, unauth,    ok,        forbidden, ok,        forbidden],
  },

  // ---- notifications -----------------------------------------------------------------------------------
  'POST /api/notifications/read': {
    // The actor has an unread notification (the bystander mentions them).
    build: async (c) => {
      if (c.user) {
        const { id } = await makeThread(c.t, c.bystander, { categoryId: c.forum.id });
        await makePost(c.t, c.bystander, id, `Over to you, @${c.user.username}.`);
      }
      return { url: '/api/notifications/read', body: { all: true } };
    },
    expect: [unauth,    ok,        ok,        ok,        unauth,    ok,        ok,        ok,        ok],
  },

  // ---- moderation --------------------------------------------------------------------------------------
  'POST /api/posts/{id}/flags': {
    build: async (c) => ({ url: `/api/posts/${await reply(c)}/flags`, body: { reason: 'spam' } }),
    expect: [unauth,    newMember, ok,        silenced,  unauth,    ok,        ok,        ok,        ownPost],
    states: {
      'a deleted reply': {
        build: async (c) => {
          const postId = await reply(c);
          await withTx(c.t.db, (tx) => deletePost(tx, c.author, postId));
          return { url: `/api/posts/${postId}/flags`, body: { reason: 'spam' } };
        },
        expect: [unauth,    gone,      gone,      silenced,  unauth,    gone,      gone,      gone,      gone],
      },
      // Gone with its thread, for staff too: like a like or a reply there.
      'in a deleted thread': {
        build: async (c) => ({ url: `/api/posts/${await replyInDeletedThread(c)}/flags`, body: { reason: 'spam' } }),
        expect: [unauth,    gone,      gone,      gone,      unauth,    gone,      gone,      gone,      gone],
      },
    },
  },
  'PATCH /api/threads/{id}/moderation': {
    build: async (c) => ({ url: `/api/threads/${(await thread(c)).id}/moderation`, body: { locked: true, pinned: true } }),
    expect: [unauth,    forbidden, forbidden, forbidden, unauth,    ok,        forbidden, ok,        forbidden],
  },
  'POST /api/threads/{id}/move-posts': {
    // The bystander's reply in the author's thread, to a new thread.
    build: async (c) => {
      const { id } = await thread(c);
      const postId = await makePost(c.t, c.bystander, id, 'A reply that belongs elsewhere.');
      return {
        url: `/api/threads/${id}/move-posts`,
        body: { postIds: [postId], destination: { title: `Split off, ${unique()}`, categoryId: c.forum.id } },
      };
    },
    expect: [unauth,    forbidden, forbidden, forbidden, unauth,    ok,        forbidden, ok,        forbidden],
    states: {
      'to a deleted thread': {
        build: async (c) => {
          const { id } = await thread(c);
          const postId = await makePost(c.t, c.bystander, id, 'A reply that belongs elsewhere.');
          const into = await deletedThread(c);
          return { url: `/api/threads/${id}/move-posts`, body: { postIds: [postId], destination: { threadId: into.id } } };
        },
        expect: [unauth,    forbidden, forbidden, forbidden, unauth,    gone,      forbidden, gone,      forbidden],
      },
    },
  },
  'PUT /api/moderation/users/{id}/sanction': {
    // The target is a fresh member (the author column: the author sanctioning themselves).
    build: async (c) => ({
      url: `/api/moderation/users/${c.actor === 'author' ? c.author.id : (await makeAccount(c.t)).id}/sanction`,
      body: { kind: 'silence', days: 1, reason: 'Matrix' },
    }),
    expect: [unauth,    forbidden, forbidden, forbidden, unauth,    ok,        forbidden, ok,        forbidden],
    states: {
      'a staff target': {
        build: async (c) => ({
          url: `/api/moderation/users/${(await makeAccount(c.t, { role: 'moderator' })).id}/sanction`,
          body: { kind: 'suspend', days: 1, reason: 'Matrix' },
        }),
        expect: [unauth,    forbidden, forbidden, forbidden, unauth,    forbidden, forbidden, forbidden, forbidden],
      },
    },
  },
  'DELETE /api/moderation/users/{id}/sanction/{kind}': {
    build: async (c) => {
      const target = await makeAccount(c.t);
      await withTx(c.t.db, (tx) => sanctionUser(tx, c.staff, target.id, { kind: 'silence', days: 1, reason: 'Matrix' }, null));
      return { url: `/api/moderation/users/${target.id}/sanction/silence` };
    },
    expect: [unauth,    forbidden, forbidden, forbidden, unauth,    ok,        forbidden, ok,        forbidden],
  },
  'POST /api/moderation/users/{id}/notes': {
    build: async (c) => ({ url: `/api/moderation/users/${(await makeAccount(c.t)).id}/notes`, body: { body: 'A note' } }),
    expect: [unauth,    forbidden, forbidden, forbidden, unauth,    ok,        forbidden, ok,        forbidden],
  },
  'DELETE /api/moderation/notes/{id}': {
    // A note another moderator wrote: only an admin deletes it.
    build: async (c) => {
      const target = await makeAccount(c.t);
      const note = await withTx(c.t.db, (tx) => addStaffNote(tx, c.staff, target.id, 'Written by another moderator'));
      return { url: `/api/moderation/notes/${note}` };
    },
    expect: [unauth,    forbidden, forbidden, forbidden, unauth,    forbidden, forbidden, ok,        forbidden],
  },
  // ---- releases: product managers and admins write them; a published one keeps its shape ---------------
  'POST /api/releases': {
    build: async () => ({ url: '/api/releases', body: { version: releaseVersion(), channel: 'stable', date: '2026-05-08' } }),
    expect: [unauth,    forbidden, forbidden, forbidden, unauth,    forbidden, ok,        ok,        forbidden],
  },
  'PATCH /api/releases/{id}': {
    build: async (c) => ({ url: `/api/releases/${await release(c)}`, body: { notes: 'Now with notes.' } }),
    expect: [unauth,    forbidden, forbidden, forbidden, unauth,    forbidden, ok,        ok,        forbidden],
    states: {
      'published, renamed': {
        build: async (c) => ({ url: `/api/releases/${await release(c, 'published')}`, body: { version: releaseVersion() } }),
        expect: [unauth,    forbidden, forbidden, forbidden, unauth,    forbidden, published, published, forbidden],
      },
    },
  },
  'POST /api/releases/{id}/publish': {
    build: async (c) => ({ url: `/api/releases/${await release(c)}/publish` }),
    expect: [unauth,    forbidden, forbidden, forbidden, unauth,    forbidden, ok,        ok,        forbidden],
    states: {
      'published already': {
        build: async (c) => ({ url: `/api/releases/${await release(c, 'published')}/publish` }),
        expect: [unauth,    forbidden, forbidden, forbidden, unauth,    forbidden, published, published, forbidden],
      },
    },
  },
  'DELETE /api/releases/{id}': {
    build: async (c) => ({ url: `/api/releases/${await release(c)}` }),
    expect: [unauth,    forbidden, forbidden, forbidden, unauth,    forbidden, ok,        ok,        forbidden],
    states: {
      published: {
        build: async (c) => ({ url: `/api/releases/${await release(c, 'published')}` }),
        expect: [unauth,    forbidden, forbidden, forbidden, unauth,    forbidden, published, published, forbidden],
      },
    },
  },
  'POST /api/review/{id}/actions': {
    // A flag on the author's reply; the author column is the flagged post's author.
    build: async (c) => {
      const item = await reviewItem(c);
      return { url: `/api/review/${item.id}/actions`, body: { action: 'agree', version: item.version } };
    },
    expect: [unauth,    forbidden, forbidden, forbidden, unauth,    ok,        forbidden, ok,        forbidden],
    states: {
      'claimed by another moderator': {
        build: async (c) => {
          const item = await reviewItem(c);
          await withTx(c.t.db, (tx) => setClaim(tx, c.staff, item.id, true, defaultModerationSettings));
          return { url: `/api/review/${item.id}/actions`, body: { action: 'agree', version: item.version } };
        },
        expect: [unauth,    forbidden, forbidden, forbidden, unauth,    claimed,   forbidden, ok,        forbidden],
      },
      // The author column is the held post's author asking to approve it.
      'a held post, approved': {
        build: async (c) => {
          const item = await heldItem(c);
          return { url: `/api/review/${item.id}/actions`, body: { action: 'approve', version: item.version } };
        },
        expect: [unauth,    forbidden, forbidden, forbidden, unauth,    ok,        forbidden, ok,        forbidden],
      },
      // The author column is the applicant; product managers decide from the applications table.
      'a beta application, accepted': {
        build: async (c) => {
          const { applicationId } = await betaApplication(c, 'reviewed');
          const item = await c.t.db
            .selectFrom('reviewables')
            .select(['id', 'version'])
            .where('beta_application_id', '=', applicationId)
            .executeTakeFirstOrThrow();
          return { url: `/api/review/${item.id}/actions`, body: { action: 'accept', version: item.version } };
        },
        expect: [unauth,    forbidden, forbidden, forbidden, unauth,    ok,        forbidden, ok,        forbidden],
      },
    },
  },
  'POST /api/review/bulk': {
    build: async (c) => {
      const item = await reviewItem(c);
      return { url: '/api/review/bulk', body: { action: 'agree', items: [item] } };
    },
    expect: [unauth,    forbidden, forbidden, forbidden, unauth,    ok,        forbidden, ok,        forbidden],
  },
  'PUT /api/review/{id}/claim': {
    build: async (c) => ({ url: `/api/review/${(await reviewItem(c)).id}/claim` }),
    expect: [unauth,    forbidden, forbidden, forbidden, unauth,    ok,        forbidden, ok,        forbidden],
    states: {
      'claimed by another moderator': {
        build: async (c) => {
          const item = await reviewItem(c);
          await withTx(c.t.db, (tx) => setClaim(tx, c.staff, item.id, true, defaultModerationSettings));
          return { url: `/api/review/${item.id}/claim` };
        },
        expect: [unauth,    forbidden, forbidden, forbidden, unauth,    claimed,   forbidden, ok,        forbidden],
      },
    },
  },
  'DELETE /api/review/{id}/claim': {
    // Claimed by the actor wherever the review rule lets them claim.
    build: async (c) => {
      const item = await reviewItem(c);
      const user = c.user;
      if (user && moderationPolicy.review(user).ok) {
        await withTx(c.t.db, (tx) => setClaim(tx, user, item.id, true, defaultModerationSettings));
      }
      return { url: `/api/review/${item.id}/claim` };
    },
    expect: [unauth,    forbidden, forbidden, forbidden, unauth,    ok,        forbidden, ok,        forbidden],
  },
  // ---- beta programs ------------------------------------------------------------------------------------
  'POST /api/beta/programs': {
    build: async () => ({ url: '/api/beta/programs', body: betaBody() }),
    expect: [unauth,    forbidden, forbidden, forbidden, unauth,    forbidden, ok,        ok,        forbidden],
  },
  'PATCH /api/beta/programs/{id}': {
    build: async (c) => ({ url: `/api/beta/programs/${await betaProgram(c)}`, body: { seats: 10 } }),
    expect: [unauth,    forbidden, forbidden, forbidden, unauth,    forbidden, ok,        ok,        forbidden],
  },
  'POST /api/beta/programs/{id}/applications': {
    build: async (c) => ({ url: `/api/beta/programs/${await betaProgram(c)}/applications`, body: betaApply }),
    expect: [unauth,    ok,        ok,        silenced,  unauth,    ok,        ok,        ok,        ok],
    states: {
      // Only its managers see a draft; they are told it takes no applications yet.
      'a draft': {
        build: async (c) => ({
          url: `/api/beta/programs/${await betaProgram(c, { draft: true })}/applications`,
          body: betaApply,
        }),
        expect: [unauth,    gone,      gone,      silenced,  unauth,    gone,      notEligible, notEligible, gone],
      },
    },
  },
  'DELETE /api/beta/programs/{id}/application': {
    // The author column is the applicant; nobody else has an application there to withdraw.
    build: async (c) => ({ url: `/api/beta/programs/${(await betaApplication(c)).programId}/application` }),
    expect: [unauth,    gone,      gone,      gone,      unauth,    gone,      gone,      gone,      ok],
  },
  'POST /api/beta/applications/{id}/decision': {
    build: async (c) => ({
      url: `/api/beta/applications/${(await betaApplication(c)).applicationId}/decision`,
      body: { action: 'remove', reason: 'Did not test.' },
    }),
    expect: [unauth,    forbidden, forbidden, forbidden, unauth,    forbidden, ok,        ok,        forbidden],
  },
};

// ---- actors ---------------------------------------------------------------------------------------------

const roleOf: Record<Exclude<ActorName, 'anonymous'>, Role> = {
  new_member: 'member',
  member: 'member',
  silenced: 'member',
  suspended: 'member',
  moderator: 'moderator',
  product_manager: 'product_manager',
  admin: 'admin',
  author: 'member',
};

type Accounts = Record<ActorName, UserRow | null> & { author: UserRow; suspended: UserRow };

/** One actor's account, sanctioned by the moderation rule where the actor is a sanctioned member. */
async function makeActor(t: TestApp, name: ActorName, sanctioner: UserRow): Promise<UserRow | null> {
  if (name === 'anonymous') return null;
  const trustLevel = name === 'new_member' ? 0 : name === 'member' || name === 'author' ? 2 : 1;
  const account = await makeAccount(t, { role: roleOf[name], trustLevel });
  if (name !== 'silenced' && name !== 'suspended') return account;
  const kind = name === 'silenced' ? 'silence' : 'suspend';
  await withTx(t.db, (tx) =>
    sanctionUser(tx, sanctioner, account.id, { kind, days: 1, reason: `The matrix ${name} them` }, null),
  );
  return t.db.selectFrom('users').selectAll().where('id', '=', account.id).executeTakeFirstOrThrow();
}

/** What refused requests may still change, and why: nothing a rule writes. */
const digestOptions = (suspendedId: number): DigestOptions => ({
  // Refused attempts count against rate limits by design (a wrong password must).
  skipTables: ['rate_limits'],
  // Written in the background by the session hook, at most every 5 minutes per account.
  skipColumns: { users: ['last_seen_at', 'days_visited'] },
  // The server ends the suspended member's session (asserted on its own).
  skipRows: { sessions: { column: 'user_id', value: suspendedId } },
});

/** Mutating operations of the description without a row, and rows without an operation. */
async function coverage(app: App, rows: Record<string, Row>) {
  const { operations } = await readOperations(app);
  const mutating = operations.filter((o) => WRITE_METHODS.has(o.method)).map((o) => `${o.method} ${o.path}`);
  return {
    operations: mutating.length,
    withoutRow: mutating.filter((key) => !(key in rows)).sort(),
    withoutOperation: Object.keys(rows)
      .filter((key) => !mutating.includes(key))
      .sort(),
  };
}

let t: TestApp;
let world: Omit<Case, 'actor' | 'user' | 'author'> & { accounts: Accounts };
let tables: string[];
beforeAll(async () => {
  t = await startTestApp();
  const staff = await makeAccount(t, { role: 'moderator' });
  const [bystander, forum, ideas, staffOnly, ...actors] = await Promise.all([
    makeAccount(t),
    makeCategory(t),
    makeCategory(t, { allowIdeas: true }),
    makeCategory(t, { whoCanStart: 'staff' }),
    ...ACTORS.map((name) => makeActor(t, name, staff)),
  ]);
  const accounts = Object.fromEntries(ACTORS.map((name, i) => [name, actors[i] ?? null])) as Accounts;
  world = { t, staff, bystander, forum, ideas, staffOnly, accounts };
  tables = await appTables(t.db);
});
afterAll(() => t.close());

const cases = Object.entries(matrix).flatMap(([key, row]) =>
  [
    ['', row] as const,
    ...Object.entries(row.states ?? {}).map(([state, cell]) => [` (${state})`, cell] as const),
  ].flatMap(([state, cell]) =>
    ACTORS.map((actor, i) => ({
      name: `${key}${state} · ${actor}`,
      key,
      cell,
      actor,
      expected: cell.expect[i] as Outcome,
    })),
  ),
);

describe('the permission matrix', () => {
  it('has a row for every mutating operation of the OpenAPI description, and no other', async () => {
    const result = await coverage(t.app, matrix);
    expect(result.operations).toBeGreaterThan(30);
    expect({ withoutRow: result.withoutRow, withoutOperation: result.withoutOperation }).toEqual({
      withoutRow: [],
      withoutOperation: [],
    });
  });

  it('finds a mutating route added without a row (self-test)', async () => {
    const extended = await startTestApp({
      database: t.database,
      extend(app) {
        app.post('/api/selftest/things/:id/poke', async () => ({ ok: true }));
        app.get('/api/selftest/things', async () => ({ ok: true }));
      },
    });
    try {
      const result = await coverage(extended.app, matrix);
      expect(result.withoutRow).toEqual(['POST /api/selftest/things/{id}/poke']);
      const { 'PATCH /api/me': _, ...lacking } = matrix;
      expect((await coverage(extended.app, lacking)).withoutRow).toContain('PATCH /api/me');
      expect(
        (await coverage(extended.app, { ...matrix, 'POST /api/nowhere': matrix['PATCH /api/me'] as Row }))
          .withoutOperation,
      ).toEqual(['POST /api/nowhere']);
    } finally {
      await extended.close();
    }
  });

  it('offers staff no flag on the posts of a deleted thread (canFlag comes from the same rule)', async () => {
    const author = world.accounts.author;
    const { id } = await deletedThread({ ...world, actor: 'author', user: author, author });
    const client = new Client(t.app);
    client.cookie = await sessionCookie(t.app, world.staff.id);
    const res = await client.get(`/api/threads/${id}`);
    expect(res.status).toBe(200);
    expect(res.body.posts.map((p: any) => p.canFlag)).toEqual([false, false]);
  });

  for (const { name, key, cell, actor, expected } of cases) {
    it(name, () => runCase(key, cell, actor, expected));
  }
});

/** One cell: build its target, send the request as the actor, compare; a refusal changed nothing. */
async function runCase(key: string, cell: Cell, actor: ActorName, expected: Outcome) {
  const [method] = key.split(' ') as [string];
  const accounts: Accounts = cell.freshActors
    ? { ...world.accounts, [actor]: await makeActor(t, actor, world.staff) }
    : world.accounts;
  const user = accounts[actor];
  const c: Case = { ...world, actor, user, author: actor === 'author' && user ? user : accounts.author };
  const request = await cell.build(c);
  const as = request.as ?? user;
  const client = new Client(t.app);
  if (as) client.cookie = await sessionCookie(t.app, as.id);

  const options = digestOptions(accounts.suspended.id);
  const before = await digest(t.db, tables, options);
  const res = await client.request(method, request.url, request.body, request.headers);
  const outcome: Outcome = res.status >= 200 && res.status < 300 ? ok : [res.status, res.body?.error?.code];
  expect(outcome, `${method} ${request.url} as ${actor}: ${JSON.stringify(res.body)}`).toEqual(expected);
  if (outcome !== ok) {
    const changed = changedTables(before, await digest(t.db, tables, options));
    expect(changed, `a refused ${key} as ${actor} changed the database`).toEqual([]);
  }
  if (actor === 'suspended' && as) {
    const sessions = await t.db.selectFrom('sessions').select('id').where('user_id', '=', as.id).execute();
    expect(sessions, 'the server ended the suspended member’s session').toEqual([]);
  }
}
