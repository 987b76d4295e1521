import { describe, expect, it } from 'vitest';
import { isTag, parseTags } from './tags';

describe('tags', () => {
  it('splits, lower-cases and removes duplicates', () => {
    expect(parseTags(' Dark-Mode, ios  ios,android ')).toEqual({ ok: true, tags: ['dark-mode', 'ios', 'android'] });
    expect(parseTags('')).toEqual({ ok: true, tags: [] });
  });

  it('reports what is not a tag, and too many tags', () => {
    expect(parseTags('ok, -bad, wäh')).toEqual({ ok: false, invalid: ['-bad', 'wäh'] });
    expect(parseTags('a b c d e f g h i j k')).toEqual({ ok: false, tooMany: true });
    expect(isTag('a'.repeat(30))).toBe(true);
    expect(isTag('a'.repeat(31))).toBe(false);
    expect(isTag(null)).toBe(false);
  });
});
