import type { Role } from '@fanlab/shared';
import { ErrorCodes } from '@fanlab/shared';
import type { User } from 'lucia';
import { setRole } from '../auth/actions';
import type { UserRow } from '../db/schema';
import type { Tx } from '../db/tx';
import { enforce } from '../http/errors';
import { adminPolicy } from './policy';

/** An admin changes another user's role (setRole audits it); their own role stays theirs. */
export async function changeRole(tx: Tx, admin: User, userId: number, role: Role): Promise<UserRow> {
  enforce(adminPolicy.changeRole(admin, userId), {
    [ErrorCodes.ownRole]: 'You cannot change your own role; ask another admin.',
  });
  return setRole(tx, admin.id, userId, role);
}
