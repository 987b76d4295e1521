import { type Me, type SiteSettings, votesAreHeld } from '@fanlab/shared';
import type { UserRow } from '../db/schema';
import { can, isSilenced } from './policy';

/** The account as its owner sees it. */
export function toMe(
  user: Pick<
    UserRow,
    | 'id'
    | 'username'
    | 'email'
    | 'role'
    | 'locale'
    | 'created_at'
    | 'show_last_seen'
    | 'silenced_until'
    | 'silence_reason'
    | 'trust_level'
  >,
  settings: Pick<SiteSettings, 'newMemberVotesHeld'>,
): Me {
  const silenced = isSilenced(user);
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    role: user.role,
    locale: user.locale,
    createdAt: user.created_at.toISOString(),
    showLastSeen: user.show_last_seen,
    silencedUntil: silenced ? (user.silenced_until?.toISOString() ?? null) : null,
    silenceReason: silenced ? user.silence_reason : null,
    canReview: can(user, 'moderate'),
    canTriage: can(user, 'triageIdeas'),
    canPublishReleases: can(user, 'publishReleases'),
    trustLevel: user.trust_level,
    votesHeld: votesAreHeld({ role: user.role, trustLevel: user.trust_level }, settings),
    canManageSettings: can(user, 'manageSettings'),
    canSeeUsers: can(user, 'seeUsers'),
    canManageCategories: can(user, 'manageCategories'),
    canReadAuditLog: can(user, 'readAuditLog'),
    canUseApiTokens: can(user, 'useApiTokens'),
    canSeeDashboard: can(user, 'seeDashboard'),
  };
}
