/**
 * How much one member's flag counts towards hiding a post. A flag weighs 1 until its author has
 * had 5 flags decided; then it weighs from 0.25 (always wrong) to 1.75 (always right), so members
 * whose flags moderators keep rejecting cannot hide posts alone, and reliable ones hide sooner.
 * A staff flag weighs the whole threshold: the post is hidden at once.
 */
export interface FlaggerRecord {
  staff: boolean;
  flagsAgreed: number;
  flagsDisagreed: number;
}

/** Decided flags needed before accuracy changes a member's weight. */
export const ACCURACY_AFTER = 5;

export function flagWeight(flagger: FlaggerRecord, hideScore: number): number {
  if (flagger.staff) return hideScore;
  const decided = flagger.flagsAgreed + flagger.flagsDisagreed;
  if (decided < ACCURACY_AFTER) return 1;
  const accuracy = flagger.flagsAgreed / decided;
  return Math.round((0.25 + 1.5 * accuracy) * 1000) / 1000;
}

/** Whether a post with these summed weights is hidden until a moderator decides. */
export const reachesHideScore = (score: number, hideScore: number) => score >= hideScore - 1e-9;
