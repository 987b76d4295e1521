import { describe, expect, it } from 'vitest';
import { outcome, policyTable } from '../../test/actors';
import { ideaPolicy } from './policy';

const open = { status: 'open' } as const;
const noBudget = { voted: false, budgetLeft: null };

const unauth = 'unauthenticated';
const silenced = 'silenced';
const forbidden = 'forbidden';
const closed = 'closed';
const spent = 'budget_exhausted';

// biome-ignore format: a table reads best aligned
const cases = policyTable([
  // rule, resource state, decision                                                                             anonymous  member     silenced m.  author     silenced a.  moderator  product m.  admin
  ['vote', 'open idea', (u) => ideaPolicy.vote(u, open, noBudget),                                              [unauth,    'ok',      silenced,    'ok',      silenced,    'ok',      'ok',       'ok']],
  ['vote', 'planned idea', (u) => ideaPolicy.vote(u, { status: 'planned' }, noBudget),                          [unauth,    'ok',      silenced,    'ok',      silenced,    'ok',      'ok',       'ok']],
  ['vote', 'shipped idea', (u) => ideaPolicy.vote(u, { status: 'shipped' }, noBudget),                          [unauth,    closed,    closed,      closed,    closed,      closed,    closed,     closed]],
  ['vote', 'declined idea', (u) => ideaPolicy.vote(u, { status: 'declined' }, noBudget),                        [unauth,    closed,    closed,      closed,    closed,      closed,    closed,     closed]],
  ['vote', 'merged idea (duplicate)', (u) => ideaPolicy.vote(u, { status: 'duplicate' }, noBudget),             [unauth,    closed,    closed,      closed,    closed,      closed,    closed,     closed]],
  ['vote', 'budget left', (u) => ideaPolicy.vote(u, open, { voted: false, budgetLeft: 2 }),                     [unauth,    'ok',      silenced,    'ok',      silenced,    'ok',      'ok',       'ok']],
  ['vote', 'budget spent elsewhere', (u) => ideaPolicy.vote(u, open, { voted: false, budgetLeft: 0 }),          [unauth,    spent,     silenced,    spent,     silenced,    spent,     spent,      spent]],
  ['vote', 'budget spent, one on this idea', (u) => ideaPolicy.vote(u, open, { voted: true, budgetLeft: 0 }),   [unauth,    'ok',      silenced,    'ok',      silenced,    'ok',      'ok',       'ok']],
  ['triage', 'status and response', (u) => ideaPolicy.triage(u),                                               [unauth,    forbidden, forbidden,   forbidden, forbidden,   'ok',      'ok',       'ok']],
  ['curate', 'tags, merge, unmerge', (u) => ideaPolicy.curate(u),                                              [unauth,    forbidden, forbidden,   forbidden, forbidden,   'ok',      forbidden,  'ok']],
  ['seeVoters', 'who voted, and when', (u) => ideaPolicy.seeVoters(u),                                         [unauth,    forbidden, forbidden,   forbidden, forbidden,   'ok',      'ok',       'ok']],
]);

describe('idea policy: actor × idea state', () => {
  it.each(cases)('$name → $expected', ({ decide, expected }) => {
    expect(outcome(decide())).toBe(expected);
  });
});
