import { describe, expect, it } from 'vitest';
import { AUTHOR_ID, outcome, policyTable } from '../../test/actors';
import { betaPolicy } from './policy';

const unauth = 'unauthenticated';
const silenced = 'silenced';
const forbidden = 'forbidden';
const gone = 'not_found';
const stuck = 'beta_invalid_transition';

const draft = { state: 'draft' } as const;
const open = { state: 'open' } as const;
const archived = { state: 'archived' } as const;
/** The author's application (the author is the applicant). */
const mine = (status: 'pending' | 'accepted' | 'waitlisted' | 'withdrawn' | 'rejected' | 'removed') => ({
  user_id: AUTHOR_ID,
  status,
});

// biome-ignore format: a table reads best aligned
const cases = policyTable([
  // rule, resource state, decision                                                                 anonymous  member     silenced m.  author     silenced a.  moderator  product m.  admin
  ['manage', 'programs, applications, export', (u) => betaPolicy.manage(u),                         [unauth,    forbidden, forbidden,   forbidden, forbidden,   forbidden, 'ok',       'ok']],
  ['see', 'a draft', (u) => betaPolicy.see(u, draft),                                               [gone,      gone,      gone,        gone,      gone,        gone,      'ok',       'ok']],
  ['see', 'an open program', (u) => betaPolicy.see(u, open),                                        ['ok',      'ok',      'ok',        'ok',      'ok',        'ok',      'ok',       'ok']],
  ['see', 'an archived program', (u) => betaPolicy.see(u, archived),                                ['ok',      'ok',      'ok',        'ok',      'ok',        'ok',      'ok',       'ok']],
  ['apply', 'an open program', (u) => betaPolicy.apply(u, open),                                    [unauth,    'ok',      silenced,    'ok',      silenced,    'ok',      'ok',       'ok']],
  ['apply', 'a draft', (u) => betaPolicy.apply(u, draft),                                           [gone,      gone,      gone,        gone,      gone,        gone,      'ok',       'ok']],
  ['withdraw', 'accepted', (u) => betaPolicy.withdraw(u, mine('accepted'), open),                   [unauth,    gone,      gone,        'ok',      'ok',        gone,      gone,       gone]],
  ['withdraw', 'waitlisted', (u) => betaPolicy.withdraw(u, mine('waitlisted'), open),               [unauth,    gone,      gone,        'ok',      'ok',        gone,      gone,       gone]],
  ['withdraw', 'pending', (u) => betaPolicy.withdraw(u, mine('pending'), open),                     [unauth,    gone,      gone,        'ok',      'ok',        gone,      gone,       gone]],
  ['withdraw', 'withdrawn already', (u) => betaPolicy.withdraw(u, mine('withdrawn'), open),         [unauth,    gone,      gone,        stuck,     stuck,       gone,      gone,       gone]],
  ['withdraw', 'removed', (u) => betaPolicy.withdraw(u, mine('removed'), open),                     [unauth,    gone,      gone,        stuck,     stuck,       gone,      gone,       gone]],
  ['withdraw', 'an archived program', (u) => betaPolicy.withdraw(u, mine('accepted'), archived),    [unauth,    gone,      gone,        stuck,     stuck,       gone,      gone,       gone]],
]);

describe('beta policy: actor × program and application state', () => {
  it.each(cases)('$name → $expected', ({ decide, expected }) => {
    expect(outcome(decide())).toBe(expected);
  });
});
