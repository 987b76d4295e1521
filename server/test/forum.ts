import type { Client, TestApp } from './app';
import { makeCategory, makeUser } from './factories';

let seq = 0;

/** An admin (signed in), a member (signed in) and a category to post in. */
export async function forumFixture(t: TestApp) {
  seq += 1;
  const { client: admin } = await makeUser(t, { username: `admin_${process.pid % 1000}_${seq}`, role: 'admin' });
  const { client: member, user: memberUser } = await makeUser(t);
  const category = await makeCategory(t, { slug: `general-${seq}`, name: `General ${seq}` });
  return { admin, member, memberUser, category };
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
