import { allow, type Decision, deny, ErrorCodes } from '@fanlab/shared';
import type { User } from 'lucia';
import { can } from '../auth/policy';

/** Who may hold and use personal API tokens. Pure. */
export const tokenPolicy = {
  /** Create, list and revoke one's own tokens; a token works only while its owner may. */
  hold(user: Pick<User, 'role'> | null): Decision {
    if (user === null) return deny(ErrorCodes.unauthenticated);
    return can(user, 'useApiTokens') ? allow : deny(ErrorCodes.forbidden);
  },
};
