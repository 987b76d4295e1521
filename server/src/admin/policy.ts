import { allow, type Decision, deny, ErrorCodes } from '@fanlab/shared';
import { can } from '../auth/policy';
import type { Viewer } from '../forum/policy';

/**
 * The admin screens' rules: pure predicates (see forum/policy.ts); which roles hold each
 * permission is `can` (auth/policy.ts). The table is admin/policy.test.ts.
 */
export const adminPolicy = {
  /** The user list and a user's detail: staff (moderators find members to sanction there). */
  seeUsers(user: Viewer): Decision {
    if (user === null) return deny(ErrorCodes.unauthenticated);
    return can(user, 'seeUsers') ? allow : deny(ErrorCodes.forbidden);
  },

  /** Members' email addresses (shown, and searched by prefix): admins only. */
  seeEmails(user: Viewer): Decision {
    if (user === null) return deny(ErrorCodes.unauthenticated);
    return can(user, 'manageUsers') ? allow : deny(ErrorCodes.forbidden);
  },

  /** An admin changes other people's roles, never their own: another admin must. */
  changeRole(user: Viewer, userId: number): Decision {
    if (user === null) return deny(ErrorCodes.unauthenticated);
    if (!can(user, 'manageUsers')) return deny(ErrorCodes.forbidden);
    return userId === user.id ? deny(ErrorCodes.ownRole) : allow;
  },

  /** The audit log: admins. */
  readAuditLog(user: Viewer): Decision {
    if (user === null) return deny(ErrorCodes.unauthenticated);
    return can(user, 'readAuditLog') ? allow : deny(ErrorCodes.forbidden);
  },
};
