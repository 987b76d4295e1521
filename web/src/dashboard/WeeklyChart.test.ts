import { describe, expect, it } from 'vitest';
import { labelledWeeks } from './WeeklyChart';

describe('labelledWeeks', () => {
  const weeks = Array.from({ length: 12 }, (_, i) => i * 604_800);

  it('labels every week while the dates fit', () => {
    expect(labelledWeeks(weeks, 12 * 64)).toEqual(weeks);
  });

  it('labels every n-th week on a narrow chart, counted back from the newest', () => {
    expect(labelledWeeks(weeks, 300)).toEqual([weeks[2], weeks[5], weeks[8], weeks[11]]);
  });
});
