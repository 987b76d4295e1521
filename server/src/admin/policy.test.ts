import { describe, expect, it } from 'vitest';
import { actors, outcome } from '../../test/actors';
import { adminPolicy } from './policy';

describe('admin policy', () => {
  it("changes other people's roles, never the admin's own", () => {
    expect(outcome(adminPolicy.changeRole(actors.admin, actors.member.id))).toBe('ok');
    expect(outcome(adminPolicy.changeRole(actors.admin, actors.admin.id))).toBe('own_role');
  });
});
