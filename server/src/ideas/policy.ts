import { allow, CLOSED_IDEA_STATUSES, type Decision, deny, ErrorCodes } from '@fanlab/shared';
import { can, isSilenced } from '../auth/policy';
import type { ThreadRow } from '../db/schema';
import type { Viewer } from '../forum/policy';

/** Why a reader cannot vote for an idea: the idea page's `cannotVoteReason`. */
export type CannotVoteReason = 'unauthenticated' | 'closed' | 'silenced' | 'budget_exhausted';

/**
 * Who may do what with ideas, each a pure predicate (allowed, or refused with a reason). Routes
 * authorise with them, the idea page's `can*` flags come from them. Their table is
 * ideas/policy.test.ts. (The vote writer checks closed ideas and budgets in its batch, with locks.)
 */
export const ideaPolicy = {
  /**
   * Vote for an idea: signed in, the idea open, not silenced, and a vote left in the category's
   * budget (`budgetLeft`, null when it has none) unless the reader holds one on this idea already.
   */
  vote(
    user: Viewer,
    idea: Pick<ThreadRow, 'status'>,
    reader: { voted: boolean; budgetLeft: number | null },
  ): Decision<CannotVoteReason> {
    if (user === null) return deny('unauthenticated');
    if (CLOSED_IDEA_STATUSES.includes(idea.status)) return deny('closed');
    if (isSilenced(user)) return deny('silenced');
    if (!reader.voted && reader.budgetLeft === 0) return deny('budget_exhausted');
    return allow;
  },

  /** Set statuses and official responses (one idea or many). */
  triage(user: Viewer): Decision {
    if (user === null) return deny(ErrorCodes.unauthenticated);
    return can(user, 'triageIdeas') ? allow : deny(ErrorCodes.forbidden);
  },

  /** Tag, merge and unmerge ideas. */
  curate(user: Viewer): Decision {
    if (user === null) return deny(ErrorCodes.unauthenticated);
    return can(user, 'moderate') ? allow : deny(ErrorCodes.forbidden);
  },

  /** A release may deliver the idea: not one that was declined or merged into another. */
  release(idea: Pick<ThreadRow, 'status'>): Decision {
    return idea.status === 'declined' || idea.status === 'duplicate' ? deny(ErrorCodes.ideaNotReleasable) : allow;
  },

  /** See who voted for an idea, and when. */
  seeVoters(user: Viewer): Decision {
    if (user === null) return deny(ErrorCodes.unauthenticated);
    return can(user, 'seeVoters') ? allow : deny(ErrorCodes.forbidden);
  },
};
