import type { Me, Role } from '@fanlab/shared';
import { isStaff } from '../forum/permissions';

/** Roles that triage ideas: set statuses and official responses, see who voted. */
const TRIAGE_ROLES: readonly Role[] = ['moderator', 'product_manager', 'admin'];

export function canTriage(user: Pick<Me, 'role'> | null | undefined): boolean {
  return Boolean(user && TRIAGE_ROLES.includes(user.role));
}

/** Tags and merges are moderation: staff only. */
export function canCurate(user: Pick<Me, 'role'> | null | undefined): boolean {
  return isStaff(user);
}
