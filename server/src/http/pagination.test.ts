import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, isTimestampText } from './pagination';

describe('keyset cursors', () => {
  it('round-trip what the lists hand out', () => {
    const key = [1, '2024-05-01 12:00:00.123456+00', 42] as const;
    expect(decodeCursor(encodeCursor(key), ['id', 'timestamp', 'id'])).toEqual(key);
    expect(decodeCursor(encodeCursor([0.25, 7]), ['float', 'id'])).toEqual([0.25, 7]);
    expect(decodeCursor(encodeCursor([0, '12', 7]), ['id', 'integerText', 'id'])).toEqual([0, '12', 7]);
    expect(decodeCursor(undefined, ['id'])).toBeUndefined();
  });

  it('refuse parts SQL could not take', () => {
    const refused = [
      [[1.5], ['id']],
      [[1e300], ['id']],
      [[9007199254740992], ['id']],
      [['1'], ['id']],
      [
        [1, 1e300],
        ['float', 'id'],
      ],
      [
        ['1', 1],
        ['timestamp', 'id'],
      ],
      [
        ['2024-01-01\u0000', 1],
        ['timestamp', 'id'],
      ],
      [['99999999999'], ['integerText']],
      [['2147483648'], ['integerText']],
      [['1.5'], ['integerText']],
      [[1, 2], ['id']],
      [{}, ['id']],
    ] as const;
    for (const [value, shape] of refused) {
      expect(() => decodeCursor(encodeCursor(value as never), shape), JSON.stringify(value)).toThrow(
        'The cursor is not valid',
      );
    }
    expect(() => decodeCursor('%%%', ['id'])).toThrow('The cursor is not valid');
  });

  it('take timestamps only as PostgreSQL writes them', () => {
    for (const text of [
      '2024-05-01 12:00:00+00',
      '2024-02-29 23:59:59.999999+00',
      '2024-05-01 12:00:00.5-03:30',
      '1880-01-01 00:00:00+00:53:28',
    ]) {
      expect(isTimestampText(text), text).toBe(true);
    }
    for (const text of [
      '1',
      'Tuesday 12',
      '2024-05-01',
      '2024-05-01T12:00:00Z',
      '2023-02-29 00:00:00+00',
      '2024-13-01 00:00:00+00',
      '2024-01-01 24:00:00+00',
      '0000-01-01 00:00:00+00',
      '2024-01-01 00:00:00+16',
      '2024-01-01 00:00:00+00 junk',
    ]) {
      expect(isTimestampText(text), text).toBe(false);
    }
  });
});
