import type { TrustLevel } from '@fanlab/shared';
import type { ModerationSettings } from './settings';

/**
 * How much one member's flag counts towards hiding a post: their trust times their accuracy.
 * Trust: a new member's (TL0) flag weighs the site setting newMemberFlagWeight, a regular's (TL3)
 * 1.25, others' 1. Accuracy: until 5 of their flags were decided it is 1; then it runs from 0.25
 * (always wrong) to 1.75 (always right), so members whose flags moderators keep rejecting cannot
 * hide posts alone, and reliable ones hide sooner. A staff flag weighs the whole threshold: the
 * post is hidden at once.
 */
export interface FlaggerRecord {
  staff: boolean;
  trustLevel: TrustLevel;
  flagsAgreed: number;
  flagsDisagreed: number;
}

const trustFactor = (level: TrustLevel, settings: Pick<ModerationSettings, 'newMemberFlagWeight'>) =>
  level === 0 ? settings.newMemberFlagWeight : level === 3 ? 1.25 : 1;

/** Decided flags needed before accuracy changes a member's weight. */
export const ACCURACY_AFTER = 5;

export function flagWeight(
  flagger: FlaggerRecord,
  settings: Pick<ModerationSettings, 'flagHideScore' | 'newMemberFlagWeight'>,
): number {
  if (flagger.staff) return settings.flagHideScore;
  const decided = flagger.flagsAgreed + flagger.flagsDisagreed;
  const accuracy = decided < ACCURACY_AFTER ? 1 : 0.25 + 1.5 * (flagger.flagsAgreed / decided);
  return Math.round(trustFactor(flagger.trustLevel, settings) * accuracy * 1000) / 1000;
}

/** Whether a post with these summed weights is hidden until a moderator decides. */
export const reachesHideScore = (score: number, hideScore: number) => score >= hideScore - 1e-9;
