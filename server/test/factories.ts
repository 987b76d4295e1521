import type { CategoryBody, Role, ThreadKind, TrustLevel } from '@fanlab/shared';
import { createUser } from '../src/auth/actions';
import type { Db } from '../src/db/connect';
import type { CategoryRow, UserRow } from '../src/db/schema';
import { withTx } from '../src/db/tx';
import { createCategory } from '../src/forum/actions/categories';
import { createPost, draftPost } from '../src/forum/actions/posts';
import { createThread } from '../src/forum/actions/threads';
import { Client, PASSWORD, signUp, type TestApp } from './app';

/*
 * Test data made by the real rules (createUser, createCategory, createThread, createPost, the
 * vote writer), never by INSERTs: every invariant, counter and notification holds as in
 * production. Names are unique per test process.
 */

let seq = 0;
const unique = () => `${process.pid % 1000}_${++seq}`;

/** What the factories need of a test app: its database (makeUser and vote also need the app). */
type Data = { db: Db };

export interface AccountOptions {
  /** Default: a fresh `user_<n>`. */
  username?: string;
  /** Default: member. */
  role?: Role;
  /** Default: PASSWORD (server/test/app.ts). */
  password?: string;
  /** Silenced until then (they may read, not post or vote). */
  silencedUntil?: Date;
  /**
   * Default 1 (basic): tests not about trust are not held to new members' limits. 0 is a new
   * member, as every account starts.
   */
  trustLevel?: TrustLevel;
}

/** An account, made by the account rule (createUser). Not signed in: see makeUser. */
export async function makeAccount(t: Data, options: AccountOptions = {}): Promise<UserRow> {
  const username = options.username ?? `user_${unique()}`;
  const user = await createUser(t.db, {
    username,
    email: `${username.toLowerCase()}@example.com`,
    password: options.password ?? PASSWORD,
    role: options.role,
  });
  const trusted = await setTrustLevelForTest(t, user.id, options.trustLevel ?? 1);
  return options.silencedUntil ? silence(t, user.id, options.silencedUntil) : trusted;
}

/** Sets a member's trust level directly (what promotion or a moderator would do). */
export function setTrustLevelForTest(t: Data, userId: number, level: TrustLevel): Promise<UserRow> {
  return t.db
    .updateTable('users')
    .set({ trust_level: level })
    .where('id', '=', userId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Silences a member (an hour by default). There is no moderation rule for it yet: when there is,
 * this calls it.
 */
export async function silence(t: Data, userId: number, until = new Date(Date.now() + 3_600_000)): Promise<UserRow> {
  return t.db
    .updateTable('users')
    .set({ silenced_until: until })
    .where('id', '=', userId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** An account and a client signed in as it (through POST /api/auth/sign-in). */
export interface Member {
  user: UserRow;
  client: Client;
}

export async function makeUser(t: TestApp, options: AccountOptions = {}): Promise<Member> {
  const user = await makeAccount(t, options);
  const client = new Client(t.app);
  const res = await client.post('/api/auth/sign-in', { login: user.username, password: options.password ?? PASSWORD });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { user, client };
}

/** A new member (trust level 0, as every account starts) signed up by the mailed link, signed in. */
export async function makeNewMember(t: TestApp): Promise<Member> {
  const client = new Client(t.app);
  const account = await signUp(client, undefined, 0);
  const user = await t.db.selectFrom('users').selectAll().where('id', '=', account.id).executeTakeFirstOrThrow();
  return { client, user };
}

/** A category (a fresh slug and name unless given), made by createCategory as the operator. */
export function makeCategory(t: Data, input: Partial<CategoryBody> = {}): Promise<CategoryRow> {
  const n = unique();
  return withTx(t.db, (tx) =>
    createCategory(tx, null, { slug: `category-${n.replace('_', '-')}`, name: `Category ${n}`, ...input }),
  );
}

export interface ThreadInput {
  categoryId: number;
  /** Default: a fresh title. */
  title?: string;
  body?: string;
  kind?: ThreadKind;
}

/** A thread started by `author` (createThread, its first post rendered like any other). */
export async function makeThread(t: Data, author: UserRow, input: ThreadInput) {
  const draft = await draftPost(t.db, input.body ?? 'The first post.');
  const id = await withTx(t.db, (tx) =>
    createThread(
      tx,
      author,
      { categoryId: input.categoryId, title: input.title ?? `A thread to talk about, ${unique()}`, kind: input.kind },
      draft,
    ),
  );
  const first = await t.db
    .selectFrom('posts')
    .select('id')
    .where('thread_id', '=', id)
    .where('post_number', '=', 1)
    .executeTakeFirstOrThrow();
  return { id, firstPostId: first.id };
}

/** An idea (a thread of kind idea) by `author`. */
export function makeIdea(t: Data, author: UserRow, input: Omit<ThreadInput, 'kind'>) {
  return makeThread(t, author, { title: `An idea worth voting for, ${unique()}`, ...input, kind: 'idea' });
}

/** A reply by `author` (createPost: numbering, counters, notifications); returns the post id. */
export async function makePost(t: Data, author: UserRow, threadId: number, body = 'A reply.', replyTo?: number) {
  const draft = await draftPost(t.db, body);
  return withTx(t.db, (tx) => createPost(tx, author, threadId, draft, replyTo));
}

/** `member` votes for an idea (or takes the vote back), through the vote writer: it must succeed. */
export async function vote(member: Pick<Member, 'client'>, ideaId: number, value = true) {
  const res = await member.client.request(value ? 'PUT' : 'DELETE', `/api/ideas/${ideaId}/vote`);
  if (res.status !== 200) throw new Error(`vote failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { voted: boolean; voteCount: number; voteVersion: number; budgetLeft: number | null };
}
