import { allow, type Decision, deny, ErrorCodes, type Role } from '@fanlab/shared';
import { can } from '../auth/policy';
import type { Viewer } from '../forum/policy';

/**
 * Who may work the review queue and sanction members. Pure predicates (see forum/policy.ts);
 * the table is moderation/policy.test.ts. Who may flag a post is the forum's rule
 * (forumPolicy.flagPost), since the post page shows it.
 */
export const moderationPolicy = {
  /** See the queue, claim items and decide them. */
  review(user: Viewer): Decision {
    if (user === null) return deny(ErrorCodes.unauthenticated);
    return can(user, 'moderate') ? allow : deny(ErrorCodes.forbidden);
  },

  /** Act on an item another moderator claimed (and has not let lapse): only admins. */
  overrideClaim(user: Viewer, claimedBy: number | null, claimLapsed: boolean): Decision {
    if (user === null) return deny(ErrorCodes.unauthenticated);
    if (claimedBy === null || claimedBy === user.id || claimLapsed || user.role === 'admin') return allow;
    return deny(ErrorCodes.reviewClaimed);
  },

  /** A staff note goes with its author, or an admin. */
  deleteNote(user: Viewer, note: { author_id: number }): Decision {
    if (user === null) return deny(ErrorCodes.unauthenticated);
    if (!can(user, 'moderate')) return deny(ErrorCodes.forbidden);
    return note.author_id === user.id || user.role === 'admin' ? allow : deny(ErrorCodes.forbidden);
  },

  /**
   * Silence or suspend a member: moderators may. Never anyone with a role (moderators, product
   * managers, admins: an admin changes their role first), never oneself.
   */
  sanction(user: Viewer, target: { id: number; role: Role }): Decision {
    if (user === null) return deny(ErrorCodes.unauthenticated);
    if (!can(user, 'moderate')) return deny(ErrorCodes.forbidden);
    if (target.id === user.id || target.role !== 'member') return deny(ErrorCodes.forbidden);
    return allow;
  },
};
