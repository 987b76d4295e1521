/** Moderation limits. Defaults here; they become site settings with the admin screens. */
export interface ModerationSettings {
  /** Summed flag weight that hides a post until a moderator decides (one staff flag reaches it). */
  hideScore: number;
  /** A claim older than this lapses: another moderator may take the item. */
  claimMinutes: number;
  /** How long "decide later" keeps an item out of the queue. */
  deferHours: number;
}

export const defaultModerationSettings: ModerationSettings = { hideScore: 3, claimMinutes: 60, deferHours: 24 };
