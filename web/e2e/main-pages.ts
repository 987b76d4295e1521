import type { TestApp } from '../../server/test/app';
import { makeAccount, makeCategory, makeIdea, makePost, makeThread, makeUser, vote } from '../../server/test/factories';
import { E2E_PASSWORD } from './browser';

/** A main page of the web client: where it is, what shows it is ready, and for whom. */
export interface MainPage {
  name: string;
  path: string;
  ready: string;
  signedIn?: boolean;
}

/**
 * Seeds what the main pages show (a category with a thread and an idea with a vote, two
 * accounts with E2E_PASSWORD: `<prefix>_author` and `<prefix>_reader`, the reader for the
 * signed-in pages) and returns the pages, signed out and in. The accessibility and phone-layout
 * tests walk the same list.
 */
export async function seedMainPages(t: TestApp, prefix: string): Promise<MainPage[]> {
  const author = await makeAccount(t, { username: `${prefix}_author`, password: E2E_PASSWORD });
  await makeAccount(t, { username: `${prefix}_reader`, password: E2E_PASSWORD });
  const category = await makeCategory(t, { slug: prefix, name: 'Accessible', allowIdeas: true });
  const thread = await makeThread(t, author, { categoryId: category.id, body: 'A first post with **bold** text.' });
  await makePost(t, author, thread.id, 'A reply.');
  const idea = await makeIdea(t, author, { categoryId: category.id, body: 'Please build this.' });
  const fan = await makeUser(t);
  await vote(fan, idea.id);
  return [
    { name: 'home', path: '/', ready: '[data-testid=category-list]' },
    { name: 'latest', path: '/latest', ready: 'main' },
    { name: 'category', path: `/c/${prefix}`, ready: 'main' },
    { name: 'thread', path: `/t/${thread.id}`, ready: '[data-testid=post]' },
    { name: 'idea', path: `/t/${idea.id}`, ready: '[data-testid=idea-panel]' },
    { name: 'ideas board', path: '/ideas', ready: '[data-testid=idea-list]' },
    { name: 'roadmap', path: '/roadmap', ready: '[data-testid=roadmap]' },
    { name: 'releases', path: '/releases', ready: 'main' },
    { name: 'betas', path: '/beta', ready: 'main' },
    { name: 'search', path: '/search?q=post', ready: 'main' },
    { name: 'profile', path: `/u/${prefix}_author`, ready: 'main' },
    { name: 'sign in', path: '/sign-in', ready: 'main form' },
    { name: 'sign up', path: '/sign-up', ready: 'main form' },
    { name: 'thread, signed in', path: `/t/${thread.id}`, ready: '[data-testid=post]', signedIn: true },
    { name: 'ideas board, signed in', path: '/ideas', ready: '[data-testid=idea-list]', signedIn: true },
    { name: 'notifications', path: '/notifications', ready: 'main', signedIn: true },
    { name: 'account', path: '/account', ready: 'main', signedIn: true },
    { name: 'bookmarks', path: '/bookmarks', ready: '[data-testid=empty-state]', signedIn: true },
  ];
}
