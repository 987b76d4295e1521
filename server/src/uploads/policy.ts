import { allow, type Decision, deny, ErrorCodes, type SiteSettings, UPLOADS_PER_DAY } from '@fanlab/shared';
import { isSilenced } from '../auth/policy';
import type { Viewer } from '../forum/policy';

type Uploader = Exclude<Viewer, null>;

/**
 * Who may upload images: members who may post (not silenced), new members (trust level 0) only
 * where the site lets them post images (setting newMemberImages). Staff and product managers
 * always. Their table is permissions.test.ts.
 */
export const uploadPolicy = {
  upload(user: Viewer, settings: Pick<SiteSettings, 'newMemberImages'>): Decision {
    if (user === null) return deny(ErrorCodes.unauthenticated);
    if (isSilenced(user)) return deny(ErrorCodes.silenced);
    if (user.role === 'member' && user.trust_level === 0 && !settings.newMemberImages) {
      return deny(ErrorCodes.newMemberLimit);
    }
    return allow;
  },
};

/** Uploads the member may make in any 24 hours: by trust level, staff and product managers more. */
export function dailyUploadLimit(user: Uploader): number {
  if (user.role !== 'member') return UPLOADS_PER_DAY.staff;
  return UPLOADS_PER_DAY[user.trust_level ?? 0];
}
