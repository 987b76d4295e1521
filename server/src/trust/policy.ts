import { allow, type Decision, deny, ErrorCodes, type Role } from '@fanlab/shared';
import type { User } from 'lucia';
import { can } from '../auth/policy';

/** Who may see and set trust levels. Pure. */
export const trustPolicy = {
  /** Who sets anyone's level at all (the route asks before it looks the member up). */
  setLevels(actor: Pick<User, 'role'> | null): Decision {
    if (actor === null) return deny(ErrorCodes.unauthenticated);
    return can(actor, 'moderate') ? allow : deny(ErrorCodes.forbidden);
  },
  /** Moderators set members' levels; only admins set staff's; nobody their own. */
  setLevel(actor: Pick<User, 'id' | 'role'> | null, target: { id: number; role: Role }): Decision {
    if (actor === null) return deny(ErrorCodes.unauthenticated);
    if (!can(actor, 'moderate') || actor.id === target.id) return deny(ErrorCodes.forbidden);
    return target.role === 'member' || can(actor, 'manageUsers') ? allow : deny(ErrorCodes.forbidden);
  },
  /** A member sees their own progress; staff see anyone's. */
  seeProgress(viewer: Pick<User, 'id' | 'role'> | null, target: { id: number }): Decision {
    if (viewer === null) return deny(ErrorCodes.unauthenticated);
    return viewer.id === target.id || can(viewer, 'moderate') ? allow : deny(ErrorCodes.forbidden);
  },
};
