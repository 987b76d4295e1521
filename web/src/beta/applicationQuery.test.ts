import { describe, expect, it } from 'vitest';
import { applicationQuery } from './ApplicationsTable';

const none = {
  status: '',
  device: '',
  region: '',
  minScore: '',
  maxScore: '',
  appliedFrom: '',
  appliedTo: '',
} as const;

describe('the applications table’s filters as the API query', () => {
  it('leaves out empty filters', () => {
    expect(applicationQuery({ ...none })).toEqual({});
    expect(applicationQuery({ ...none, region: '   ', minScore: 'x' })).toEqual({});
  });

  it('passes status, device, region and scores', () => {
    expect(
      applicationQuery({
        ...none,
        status: 'waitlisted',
        device: 'Nova 3',
        region: ' ES ',
        minScore: '2',
        maxScore: '0',
      }),
    ).toEqual({ status: 'waitlisted', device: 'Nova 3', region: 'ES', minScore: 2, maxScore: 0 });
  });

  it('takes applied dates as whole local days: from that day’s start to the next day’s start', () => {
    const query = applicationQuery({ ...none, appliedFrom: '2030-05-01', appliedTo: '2030-05-03' });
    expect(query.appliedFrom).toBe(new Date(2030, 4, 1).toISOString());
    expect(query.appliedTo).toBe(new Date(2030, 4, 4).toISOString());
    // the same day in both: that one day
    const day = applicationQuery({ ...none, appliedFrom: '2030-12-31', appliedTo: '2030-12-31' });
    expect(day.appliedFrom).toBe(new Date(2030, 11, 31).toISOString());
    expect(day.appliedTo).toBe(new Date(2031, 0, 1).toISOString());
  });
});
