import { allow, type Decision, deny, ErrorCodes } from '@fanlab/shared';
import { can } from '../auth/policy';
import type { ReleaseRow } from '../db/schema';
import type { Viewer } from '../forum/policy';

/**
 * Who may do what with releases, each a pure predicate. Product managers and admins write them;
 * everyone reads published ones. A published release stays: it cannot be deleted or published
 * again, its version and channel stay, and its ideas may be added to but not taken away (their
 * status changes and notifications are out). Drafts are deleted freely. Table: policy.test.ts.
 */
export const releasePolicy = {
  /** Write releases: create, and see drafts. */
  manage(user: Viewer): Decision {
    if (user === null) return deny(ErrorCodes.unauthenticated);
    return can(user, 'publishReleases') ? allow : deny(ErrorCodes.forbidden);
  },

  /** Read a release: published ones for all, drafts for those who write them (others: 404). */
  see(user: Viewer, release: Pick<ReleaseRow, 'state'>): Decision {
    if (release.state === 'published') return allow;
    return can(user, 'publishReleases') ? allow : deny(ErrorCodes.notFound);
  },

  /** Change the date and notes, link more ideas. */
  edit(user: Viewer, _release: Pick<ReleaseRow, 'state'>): Decision {
    return releasePolicy.manage(user);
  },

  /** Rename (version), move to another channel, or unlink ideas: drafts only. */
  reshape(user: Viewer, release: Pick<ReleaseRow, 'state'>): Decision {
    const manage = releasePolicy.manage(user);
    if (!manage.ok) return manage;
    return release.state === 'draft' ? allow : deny(ErrorCodes.releasePublished);
  },

  publish(user: Viewer, release: Pick<ReleaseRow, 'state'>): Decision {
    return releasePolicy.reshape(user, release);
  },

  delete(user: Viewer, release: Pick<ReleaseRow, 'state'>): Decision {
    return releasePolicy.reshape(user, release);
  },
};
