import { describe, expect, it } from 'vitest';
import { AUTHOR_ID, outcome, policyTable } from '../../test/actors';
import { moderationPolicy } from './policy';

const unauth = 'unauthenticated';
const forbidden = 'forbidden';
const claimed = 'review_claimed';
const OTHER_MOD = 99;
const member = { id: AUTHOR_ID, role: 'member' } as const;

// biome-ignore format: a table reads best aligned
const cases = policyTable([
  // rule, state, decision                                                                                 anonymous  member     silenced m.  author     silenced a.  moderator  product m.  admin
  ['review', 'the queue', (u) => moderationPolicy.review(u),                                               [unauth,    forbidden, forbidden,   forbidden, forbidden,   'ok',      forbidden,  'ok']],
  ['overrideClaim', 'unclaimed', (u) => moderationPolicy.overrideClaim(u, null, false),                    [unauth,    'ok',      'ok',        'ok',      'ok',        'ok',      'ok',       'ok']],
  ['overrideClaim', 'claimed by another', (u) => moderationPolicy.overrideClaim(u, OTHER_MOD, false),      [unauth,    claimed,   claimed,     claimed,   claimed,     claimed,   claimed,    'ok']],
  ['overrideClaim', 'claim lapsed', (u) => moderationPolicy.overrideClaim(u, OTHER_MOD, true),             [unauth,    'ok',      'ok',        'ok',      'ok',        'ok',      'ok',       'ok']],
  ['sanction', 'a member', (u) => moderationPolicy.sanction(u, { id: 50, role: 'member' }),                [unauth,    forbidden, forbidden,   forbidden, forbidden,   'ok',      forbidden,  'ok']],
  ['sanction', 'the author', (u) => moderationPolicy.sanction(u, member),                                  [unauth,    forbidden, forbidden,   forbidden, forbidden,   'ok',      forbidden,  'ok']],
  ['sanction', 'a moderator', (u) => moderationPolicy.sanction(u, { id: 51, role: 'moderator' }),          [unauth,    forbidden, forbidden,   forbidden, forbidden,   forbidden, forbidden,  forbidden]],
  ['sanction', 'a product manager', (u) => moderationPolicy.sanction(u, { id: 52, role: 'product_manager' }), [unauth, forbidden, forbidden,   forbidden, forbidden,   forbidden, forbidden,  forbidden]],
  ['sanction', 'an admin', (u) => moderationPolicy.sanction(u, { id: 53, role: 'admin' }),                 [unauth,    forbidden, forbidden,   forbidden, forbidden,   forbidden, forbidden,  forbidden]],
  ['deleteNote', "another's note", (u) => moderationPolicy.deleteNote(u, { author_id: OTHER_MOD }),        [unauth,    forbidden, forbidden,   forbidden, forbidden,   forbidden, forbidden,  'ok']],
]);

describe('moderation policy', () => {
  it.each(cases)('$name', ({ decide, expected }) => {
    expect(outcome(decide())).toBe(expected);
  });

  it('lets a moderator act on their own claim and delete their own note, never sanction themselves', () => {
    const mod = { id: 4, role: 'moderator', silenced_until: null } as const;
    expect(outcome(moderationPolicy.overrideClaim(mod, 4, false))).toBe('ok');
    expect(outcome(moderationPolicy.deleteNote(mod, { author_id: 4 }))).toBe('ok');
    expect(outcome(moderationPolicy.sanction(mod, { id: 4, role: 'member' }))).toBe(forbidden);
  });
});
