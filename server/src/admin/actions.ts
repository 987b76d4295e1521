import type { Role } from '@fanlab/shared';
import { ErrorCodes } from '@fanlab/shared';
import type { User } from 'lucia';
import { setRole } from '../auth/accounts';
import type { UserRow } from '../db/schema';
import type { Tx } from '../db/tx';
import { AppError } from '../http/errors';

/** An admin changes another user's role (setRole audits it); their own role stays theirs. */
export async function changeRole(tx: Tx, admin: User, userId: number, role: Role): Promise<UserRow> {
  if (userId === admin.id) {
    throw new AppError(409, ErrorCodes.ownRole, 'You cannot change your own role; ask another admin.');
  }
  return setRole(tx, admin.id, userId, role);
}
