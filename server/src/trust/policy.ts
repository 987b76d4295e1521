import { allow, type Decision, deny, ErrorCodes } from '@fanlab/shared';
import type { User } from 'lucia';
import { can } from '../auth/policy';

/** Who may see and set trust levels. Pure. */
export const trustPolicy = {
  setLevel(actor: Pick<User, 'id' | 'role'> | null, _target: { id: number }): Decision {
    if (actor === null) return deny(ErrorCodes.unauthenticated);
    return can(actor, 'moderate') ? allow : deny(ErrorCodes.forbidden);
  },
  /** A member sees their own progress; staff see anyone's. */
  seeProgress(viewer: Pick<User, 'id' | 'role'> | null, target: { id: number }): Decision {
    if (viewer === null) return deny(ErrorCodes.unauthenticated);
    return viewer.id === target.id || can(viewer, 'moderate') ? allow : deny(ErrorCodes.forbidden);
  },
};
