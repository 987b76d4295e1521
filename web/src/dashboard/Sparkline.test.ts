import { describe, expect, it } from 'vitest';
import { sparklinePoints } from './Sparkline';

describe('sparklinePoints', () => {
  it('spreads the days over the width and puts the busiest day at the top', () => {
    expect(sparklinePoints([0, 2, 1])).toBe('0,22 50,2 100,12');
  });

  it('draws days without votes on the bottom edge, and nothing for no days', () => {
    expect(sparklinePoints([0, 0])).toBe('0,22 100,22');
    expect(sparklinePoints([3])).toBe('0,2');
    expect(sparklinePoints([])).toBe('');
  });
});
