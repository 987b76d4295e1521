import { ErrorCodes, type Role, STAFF_ROLES } from '@fanlab/shared';
import type { FastifyRequest } from 'fastify';
import type { User } from 'lucia';
import { AppError, forbidden, unauthenticated } from '../http/errors';

export const isSuspended = (user: { suspended_until: Date | null }) =>
  user.suspended_until !== null && user.suspended_until.getTime() > Date.now();
export const isSilenced = (user: { silenced_until: Date | null }) =>
  user.silenced_until !== null && user.silenced_until.getTime() > Date.now();

/** Who may do what, in one place. Areas add their permissions here. */
const permissions = {
  /** Change roles and see members' email addresses. */
  manageUsers: ['admin'],
  /** Find members in the admin user list and open their standing there. */
  seeUsers: STAFF_ROLES,
  readAuditLog: ['admin'],
  manageCategories: ['admin'],
  /** Change the site settings (limits, thresholds, watched words). */
  manageSettings: ['admin'],
  /** Act on other people's content: delete/restore, see deleted posts and edit history, post in locked threads. */
  moderate: STAFF_ROLES,
  /** Set idea statuses and official responses (single and bulk). */
  triageIdeas: ['moderator', 'product_manager', 'admin'],
  /** See who voted for an idea, and when. */
  seeVoters: ['moderator', 'product_manager', 'admin'],
  /** Write, publish and delete releases (and see drafts). */
  publishReleases: ['product_manager', 'admin'],
  /** Hold personal API tokens (exports and idea reads by script: server/src/tokens/). */
  useApiTokens: ['moderator', 'product_manager', 'admin'],
  /** The dashboard of top requests, its charts and its exports (server/src/dashboard/). */
  seeDashboard: ['product_manager', 'admin'],
  /** Create and edit beta programs, see their applications and decide them, export testers. */
  manageBetaPrograms: ['product_manager', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissions;

export function can(user: Pick<User, 'role'> | null, permission: Permission): boolean {
  return user !== null && (permissions[permission] as readonly Role[]).includes(user.role);
}

export const isStaff = (user: Pick<User, 'role'> | null) => can(user, 'moderate');

/** The signed-in user, or 401. */
export function requireUser(request: FastifyRequest): User {
  if (!request.user) throw unauthenticated();
  return request.user;
}

/** The signed-in user, unless silenced (they may read but not post or vote): 401/403. */
export function requireVoice(request: FastifyRequest): User {
  const user = requireUser(request);
  if (isSilenced(user)) {
    throw new AppError(403, ErrorCodes.silenced, `You are silenced until ${user.silenced_until?.toISOString()}.`);
  }
  return user;
}

/** The signed-in user holding `permission`, or 401/403. */
export function authorize(request: FastifyRequest, permission: Permission): User {
  const user = requireUser(request);
  if (!can(user, permission)) throw forbidden();
  return user;
}
