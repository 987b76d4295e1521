import { allow, type Decision, deny, ErrorCodes } from '@fanlab/shared';
import type { User } from 'lucia';

/** Admin rules beyond the permissions of auth/policy.ts (who manages users at all). */
export const adminPolicy = {
  /** An admin changes other people's roles, never their own: another admin must. */
  changeRole(admin: Pick<User, 'id'>, userId: number): Decision {
    return userId === admin.id ? deny(ErrorCodes.ownRole) : allow;
  },
};
