import { defaultSiteSettings, type SiteSettings } from '@fanlab/shared';

/** The site settings moderation rules read (site settings: shared/src/settings.ts). */
export type ModerationSettings = Pick<
  SiteSettings,
  'flagHideScore' | 'reviewClaimMinutes' | 'reviewDeferHours' | 'newMemberCanFlag' | 'newMemberFlagWeight'
>;

export const defaultModerationSettings: ModerationSettings = defaultSiteSettings;
