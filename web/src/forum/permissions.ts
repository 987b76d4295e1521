import { type Me, type Role, STAFF_ROLES } from '@fanlab/shared';

/** Staff (as the server's policy defines them): start threads in staff-only categories, see deleted content. */
export function isStaff(user: Pick<Me, 'role'> | null | undefined): boolean {
  return Boolean(user && (STAFF_ROLES as readonly Role[]).includes(user.role));
}
