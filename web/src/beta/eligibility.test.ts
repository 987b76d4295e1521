import { ErrorCodes } from '@fanlab/shared';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { failedRules } from './eligibility';

const notEligible = (details: unknown) => new ApiError(422, ErrorCodes.betaNotEligible, 'Not eligible', details);

describe('the rules an application failed', () => {
  it('lists each failed rule once, in the server order', () => {
    const error = notEligible({
      failed: [
        { rule: 'trust_level', message: 'Trust level 2 needed' },
        { rule: 'device', message: 'Not this device' },
        { rule: 'trust_level', message: 'again' },
      ],
    });
    expect(failedRules(error)).toEqual([
      { rule: 'trust_level', message: 'Trust level 2 needed' },
      { rule: 'device', message: 'Not this device' },
    ]);
  });

  it('leaves out rules this client does not know and tolerates a missing message', () => {
    const error = notEligible({ failed: [{ rule: 'moon_phase', message: 'x' }, { rule: 'quiz' }, null] });
    expect(failedRules(error)).toEqual([{ rule: 'quiz', message: '' }]);
  });

  it('is an empty list when the details are missing, and null for any other error', () => {
    expect(failedRules(notEligible(undefined))).toEqual([]);
    expect(failedRules(new ApiError(409, ErrorCodes.betaAlreadyApplied, 'Twice'))).toBeNull();
    expect(failedRules(new Error('boom'))).toBeNull();
    expect(failedRules(null)).toBeNull();
  });
});
