import {
  allow,
  type BetaApplicationStatus,
  type BetaProgramState,
  type Decision,
  deny,
  ErrorCodes,
} from '@fanlab/shared';
import { can, isSilenced } from '../auth/policy';
import type { Viewer } from '../forum/policy';

/** The statuses an applicant may withdraw from. */
const WITHDRAWABLE: readonly BetaApplicationStatus[] = ['pending', 'accepted', 'waitlisted'];

/**
 * Who may do what with beta programs, each a pure predicate. Routes and rules enforce them, the
 * program's `canManage`/`canApply` and an application's `canWithdraw` come from them. Their
 * table is beta/policy.test.ts. Eligibility (device, region, age, trust, quiz, times) is
 * beta/eligibility.ts: those are the program's rules, not permissions.
 */
export const betaPolicy = {
  /** Create and edit programs, see and decide their applications, export testers. */
  manage(user: Viewer): Decision {
    if (user === null) return deny(ErrorCodes.unauthenticated);
    return can(user, 'manageBetaPrograms') ? allow : deny(ErrorCodes.forbidden);
  },

  /** A draft exists for its managers only; every other state is public. */
  see(user: Viewer, program: { state: BetaProgramState }): Decision {
    return program.state !== 'draft' || can(user, 'manageBetaPrograms') ? allow : deny(ErrorCodes.notFound);
  },

  /** Apply: signed in and not silenced (a suspended member has no session). */
  apply(user: Viewer, program: { state: BetaProgramState }): Decision {
    const seen = betaPolicy.see(user, program);
    if (!seen.ok) return seen;
    if (user === null) return deny(ErrorCodes.unauthenticated);
    if (isSilenced(user)) return deny(ErrorCodes.silenced);
    return allow;
  },

  /** Withdraw one's own application while it is pending, accepted or waitlisted (not once archived). */
  withdraw(
    user: Viewer,
    application: { user_id: number; status: BetaApplicationStatus },
    program: { state: BetaProgramState },
  ): Decision {
    if (user === null) return deny(ErrorCodes.unauthenticated);
    if (application.user_id !== user.id) return deny(ErrorCodes.notFound);
    if (program.state === 'archived' || !WITHDRAWABLE.includes(application.status)) {
      return deny(ErrorCodes.betaInvalidTransition);
    }
    return allow;
  },
};
