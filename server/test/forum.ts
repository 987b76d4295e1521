import type { CategoryBody } from '@fanlab/shared';
import { createUser } from '../src/auth/accounts';
import { withTx } from '../src/db/tx';
import { createCategory } from '../src/forum/actions/categories';
import { Client, PASSWORD, signUp, type TestApp } from './app';

let seq = 0;

/** An admin (signed in), a member (signed in) and a category to post in. */
export async function forumFixture(t: TestApp) {
  seq += 1;
  const adminName = `admin_${process.pid % 1000}_${seq}`;
  await createUser(t.db, { username: adminName, email: `${adminName}@example.com`, password: PASSWORD, role: 'admin' });
  const admin = new Client(t.app);
  await admin.post('/api/auth/sign-in', { login: adminName, password: PASSWORD });
  const member = new Client(t.app);
  const memberUser = await signUp(member);
  const category = await makeCategory(t, { slug: `general-${seq}`, name: `General ${seq}` });
  return { admin, member, memberUser, category };
}

export function makeCategory(t: TestApp, input: CategoryBody) {
  return withTx(t.db, (tx) => createCategory(tx, null, input));
}

/** Starts a thread through the API and returns its detail. */
export async function startThread(
  client: Client,
  categoryId: number,
  title = 'A thread about phones',
  body = 'First post',
) {
  const res = await client.post('/api/threads', { categoryId, title, body });
  if (res.status !== 201) throw new Error(`thread creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: number; posts: { id: number; postNumber: number }[] };
}
