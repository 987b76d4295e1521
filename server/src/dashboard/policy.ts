import { allow, type Decision, deny, ErrorCodes } from '@fanlab/shared';
import { can } from '../auth/policy';
import type { Viewer } from '../forum/policy';

/** Who may see the product managers' dashboard, its charts and its exports. Pure. */
export const dashboardPolicy = {
  see(user: Viewer): Decision {
    if (user === null) return deny(ErrorCodes.unauthenticated);
    return can(user, 'seeDashboard') ? allow : deny(ErrorCodes.forbidden);
  },
};
