import { describe, expect, it } from 'vitest';
import { AUTHOR_ID, actors, outcome, policyTable } from '../../test/actors';
import { forumPolicy } from './policy';

const now = new Date();
const thread = (state: { locked?: boolean; deleted?: boolean } = {}) => ({
  author_id: AUTHOR_ID,
  locked_at: state.locked ? now : null,
  deleted_at: state.deleted ? now : null,
});
const post = (state: { deleted?: boolean; hidden?: boolean } = {}) => ({
  author_id: AUTHOR_ID,
  deleted_at: state.deleted ? now : null,
  hidden_at: state.hidden ? now : null,
});
const everyone = { who_can_start: 'everyone' } as const;
const staffOnly = { who_can_start: 'staff' } as const;

const unauth = 'unauthenticated';
const silenced = 'silenced';
const forbidden = 'forbidden';
const gone = 'not_found';
const locked = 'thread_locked';
const flagged = 'already_flagged';

// biome-ignore format: a table reads best aligned
const cases = policyTable([
  // rule, resource state, decision                                                                          anonymous  member     silenced m.  author         silenced a.    moderator  product m.  admin
  ['startThread', 'open category', (u) => forumPolicy.startThread(u, everyone),                            [unauth,    'ok',      silenced,    'ok',          silenced,      'ok',      'ok',       'ok']],
  ['startThread', 'staff-only category', (u) => forumPolicy.startThread(u, staffOnly),                     [unauth,    forbidden, silenced,    forbidden,     silenced,      'ok',      forbidden,  'ok']],
  ['seeThread', 'live thread', (u) => forumPolicy.seeThread(u, thread()),                                  ['ok',      'ok',      'ok',        'ok',          'ok',          'ok',      'ok',       'ok']],
  ['seeThread', 'deleted thread', (u) => forumPolicy.seeThread(u, thread({ deleted: true })),              [gone,      gone,      gone,        gone,          gone,          'ok',      gone,       'ok']],
  ['seeReadState', 'new and unread lists', (u) => forumPolicy.seeReadState(u),                             [unauth,    'ok',      'ok',        'ok',          'ok',          'ok',      'ok',       'ok']],
  ['reply', 'open thread', (u) => forumPolicy.reply(u, thread()),                                          [unauth,    'ok',      silenced,    'ok',          silenced,      'ok',      'ok',       'ok']],
  ['reply', 'locked thread', (u) => forumPolicy.reply(u, thread({ locked: true })),                        [unauth,    locked,    silenced,    locked,        silenced,      'ok',      locked,     'ok']],
  ['reply', 'deleted thread', (u) => forumPolicy.reply(u, thread({ deleted: true })),                      [unauth,    gone,      silenced,    gone,          silenced,      gone,      gone,       gone]],
  ['editTitle', 'live thread', (u) => forumPolicy.editTitle(u, thread()),                                  [unauth,    forbidden, silenced,    'ok',          silenced,      'ok',      forbidden,  'ok']],
  ['editTitle', 'locked thread', (u) => forumPolicy.editTitle(u, thread({ locked: true })),                [unauth,    forbidden, silenced,    'ok',          silenced,      'ok',      forbidden,  'ok']],
  ['editTitle', 'deleted thread', (u) => forumPolicy.editTitle(u, thread({ deleted: true })),              [unauth,    forbidden, silenced,    forbidden,     silenced,      forbidden, forbidden,  forbidden]],
  ['deleteThread', 'nobody else replied', (u) => forumPolicy.deleteThread(u, thread(), false),             [unauth,    forbidden, forbidden,   'ok',          'ok',          'ok',      forbidden,  'ok']],
  ['deleteThread', 'others replied', (u) => forumPolicy.deleteThread(u, thread(), true),                   [unauth,    forbidden, forbidden,   'has_replies', 'has_replies', 'ok',      forbidden,  'ok']],
  ['deleteThread', 'deleted thread', (u) => forumPolicy.deleteThread(u, thread({ deleted: true }), false), [unauth,    gone,      gone,        gone,          gone,          gone,      gone,       gone]],
  ['movePosts', 'live threads', (u) => forumPolicy.movePosts(u, thread(), thread()),                      [unauth,    forbidden, forbidden,   forbidden,     forbidden,     'ok',      forbidden,  'ok']],
  ['movePosts', 'to a new thread', (u) => forumPolicy.movePosts(u, thread()),                              [unauth,    forbidden, forbidden,   forbidden,     forbidden,     'ok',      forbidden,  'ok']],
  ['movePosts', 'deleted source', (u) => forumPolicy.movePosts(u, thread({ deleted: true }), thread()),    [unauth,    forbidden, forbidden,   forbidden,     forbidden,     gone,      forbidden,  gone]],
  ['movePosts', 'deleted destination', (u) => forumPolicy.movePosts(u, thread(), thread({ deleted: true })), [unauth,  forbidden, forbidden,   forbidden,     forbidden,     gone,      forbidden,  gone]],
  ['restore', 'deleted thread or post', (u) => forumPolicy.restore(u),                                     [unauth,    forbidden, forbidden,   forbidden,     forbidden,     'ok',      forbidden,  'ok']],
  ['editPost', 'live post', (u) => forumPolicy.editPost(u, post()),                                        [unauth,    forbidden, silenced,    'ok',          silenced,      'ok',      forbidden,  'ok']],
  ['editPost', 'deleted post', (u) => forumPolicy.editPost(u, post({ deleted: true })),                    [unauth,    forbidden, silenced,    forbidden,     silenced,      forbidden, forbidden,  forbidden]],
  ['deletePost', 'live post', (u) => forumPolicy.deletePost(u, post()),                                    [unauth,    forbidden, forbidden,   'ok',          'ok',          'ok',      forbidden,  'ok']],
  ['deletePost', 'deleted post', (u) => forumPolicy.deletePost(u, post({ deleted: true })),                [unauth,    gone,      gone,        gone,          gone,          gone,      gone,       gone]],
  ['likePost', 'live post', (u) => forumPolicy.likePost(u, post()),                                        [unauth,    'ok',      silenced,    'own_post',    silenced,      'ok',      'ok',       'ok']],
  ['likePost', 'deleted post', (u) => forumPolicy.likePost(u, post({ deleted: true })),                    [unauth,    gone,      silenced,    gone,          silenced,      gone,      gone,       gone]],
  ['likePost', 'hidden by flags', (u) => forumPolicy.likePost(u, post({ hidden: true })),                  [unauth,    gone,      silenced,    'own_post',    silenced,      gone,      gone,       gone]],
  ['flagPost', 'live post', (u) => forumPolicy.flagPost(u, post(), thread(), false),                         [unauth,    'ok',      silenced,    'own_post',    silenced,      'ok',      'ok',       'ok']],
  ['flagPost', 'flagged already', (u) => forumPolicy.flagPost(u, post(), thread(), true),                   [unauth,    flagged,   silenced,    'own_post',    silenced,      flagged,   flagged,    flagged]],
  ['flagPost', 'deleted post', (u) => forumPolicy.flagPost(u, post({ deleted: true }), thread(), false),    [unauth,    gone,      silenced,    gone,          silenced,      gone,      gone,       gone]],
  ['flagPost', 'in a deleted thread', (u) => forumPolicy.flagPost(u, post(), thread({ deleted: true }), false), [unauth, gone,    silenced,    gone,          silenced,      gone,      gone,       gone]],
  ['seeHistory', 'edit history, deleted text', (u) => forumPolicy.seeHistory(u),                           [unauth,    forbidden, forbidden,   forbidden,     forbidden,     'ok',      forbidden,  'ok']],
  ['manageCategories', 'any category', (u) => forumPolicy.manageCategories(u),                             [unauth,    forbidden, forbidden,   forbidden,     forbidden,     forbidden, forbidden,  'ok']],
]);

describe('forum policy: actor × resource state', () => {
  it.each(cases)('$name → $expected', ({ decide, expected }) => {
    expect(outcome(decide())).toBe(expected);
  });
});

describe('forum policy: silence', () => {
  it('ends when silenced_until has passed', () => {
    const once = { ...actors['silenced member'], silenced_until: new Date(Date.now() - 1000) };
    expect(outcome(forumPolicy.reply(once, thread()))).toBe('ok');
    expect(outcome(forumPolicy.likePost(once, post()))).toBe('ok');
  });
});
