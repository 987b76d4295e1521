import { describe, expect, it } from 'vitest';
import { flagWeight, reachesHideScore } from './scoring';

describe('flag weights', () => {
  it.each([
    ['a new member', { staff: false, flagsAgreed: 0, flagsDisagreed: 0 }, 1],
    ['four decided flags: not enough to judge', { staff: false, flagsAgreed: 0, flagsDisagreed: 4 }, 1],
    ['always right', { staff: false, flagsAgreed: 10, flagsDisagreed: 0 }, 1.75],
    ['always wrong', { staff: false, flagsAgreed: 0, flagsDisagreed: 10 }, 0.25],
    ['half right', { staff: false, flagsAgreed: 5, flagsDisagreed: 5 }, 1],
    ['mostly right', { staff: false, flagsAgreed: 8, flagsDisagreed: 2 }, 1.45],
    ['staff', { staff: true, flagsAgreed: 0, flagsDisagreed: 50 }, 3],
  ])('%s weighs %d at a hide score of 3', (_, flagger, weight) => {
    expect(flagWeight(flagger, 3)).toBe(weight);
  });

  it('hides at the threshold: three new members, two reliable ones, one staff flag; not four unreliable ones', () => {
    const member = flagWeight({ staff: false, flagsAgreed: 0, flagsDisagreed: 0 }, 3);
    const reliable = flagWeight({ staff: false, flagsAgreed: 9, flagsDisagreed: 0 }, 3);
    const unreliable = flagWeight({ staff: false, flagsAgreed: 1, flagsDisagreed: 9 }, 3);
    expect(reachesHideScore(member * 2, 3)).toBe(false);
    expect(reachesHideScore(member * 3, 3)).toBe(true);
    expect(reachesHideScore(reliable * 2, 3)).toBe(true);
    expect(reachesHideScore(unreliable * 4, 3)).toBe(false);
    expect(reachesHideScore(flagWeight({ staff: true, flagsAgreed: 0, flagsDisagreed: 0 }, 3), 3)).toBe(true);
  });
});
