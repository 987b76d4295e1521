import { describe, expect, it } from 'vitest';
import { flagWeight, reachesHideScore } from './scoring';

const settings = { flagHideScore: 3, newMemberFlagWeight: 0.5 };
const member = (flagsAgreed: number, flagsDisagreed: number, trustLevel: 0 | 1 | 2 | 3 = 1) => ({
  staff: false,
  trustLevel,
  flagsAgreed,
  flagsDisagreed,
});

describe('flag weights', () => {
  it.each([
    ['a basic member', member(0, 0), 1],
    ['four decided flags: not enough to judge', member(0, 4), 1],
    ['always right', member(10, 0), 1.75],
    ['always wrong', member(0, 10), 0.25],
    ['half right', member(5, 5), 1],
    ['mostly right', member(8, 2), 1.45],
    ['a new member (trust level 0): the setting', member(0, 0, 0), 0.5],
    ['a new member who is always right', member(10, 0, 0), 0.875],
    ['a regular (trust level 3)', member(0, 0, 3), 1.25],
    ['a regular who is always right', member(10, 0, 3), 2.188],
    ['staff', { staff: true, trustLevel: 1 as const, flagsAgreed: 0, flagsDisagreed: 50 }, 3],
  ])('%s weighs %d at a hide score of 3', (_, flagger, weight) => {
    expect(flagWeight(flagger, settings)).toBe(weight);
  });

  it('follows the new-member weight setting', () => {
    expect(flagWeight(member(0, 0, 0), { ...settings, newMemberFlagWeight: 0 })).toBe(0);
    expect(flagWeight(member(0, 0, 0), { ...settings, newMemberFlagWeight: 1 })).toBe(1);
  });

  it('hides at the threshold: three members, two reliable ones, one staff flag; not four unreliable ones', () => {
    const basic = flagWeight(member(0, 0), settings);
    const reliable = flagWeight(member(9, 0), settings);
    const unreliable = flagWeight(member(1, 9), settings);
    expect(reachesHideScore(basic * 2, 3)).toBe(false);
    expect(reachesHideScore(basic * 3, 3)).toBe(true);
    expect(reachesHideScore(reliable * 2, 3)).toBe(true);
    expect(reachesHideScore(unreliable * 4, 3)).toBe(false);
    expect(reachesHideScore(flagWeight({ ...member(0, 0), staff: true }, settings), 3)).toBe(true);
  });
});
