import { describe, expect, it } from 'vitest';
import { actors, outcome, policyTable } from '../../test/actors';
import { adminPolicy } from './policy';

// actors: anonymous · member · silenced member · author · silenced author · moderator · product_manager · admin
const U = 'unauthenticated';
const F = 'forbidden';
const table = policyTable([
  ['seeUsers', 'any', (a) => adminPolicy.seeUsers(a), [U, F, F, F, F, 'ok', F, 'ok']],
  ['seeEmails', 'any', (a) => adminPolicy.seeEmails(a), [U, F, F, F, F, F, F, 'ok']],
  ['changeRole', "someone else's", (a) => adminPolicy.changeRole(a, 99), [U, F, F, F, F, F, F, 'ok']],
  ['readAuditLog', 'any', (a) => adminPolicy.readAuditLog(a), [U, F, F, F, F, F, F, 'ok']],
]);

describe('admin policy', () => {
  it.each(table)('$name', ({ decide, expected }) => {
    expect(outcome(decide())).toBe(expected);
  });

  it("changes other people's roles, never the admin's own", () => {
    expect(outcome(adminPolicy.changeRole(actors.admin, actors.member.id))).toBe('ok');
    expect(outcome(adminPolicy.changeRole(actors.admin, actors.admin.id))).toBe('own_role');
  });
});
