import { describe, expect, it } from 'vitest';
import { findUnsafeText, isUnsafeText } from './validation';

describe('unsafe text', () => {
  it('is NUL or a surrogate without its partner', () => {
    for (const text of ['\u0000', 'a\u0000b', '\ud800', 'x\udc00', '\udc00\ud800', 'end\ud83d']) {
      expect(isUnsafeText(text), JSON.stringify(text)).toBe(true);
    }
    for (const text of ['', 'plain', '😀', 'a😀b', '\u0001\u007f', 'ñandú', '\ufffd']) {
      expect(isUnsafeText(text), JSON.stringify(text)).toBe(false);
    }
  });

  it('is found at any depth, in values and keys, and named by its path', () => {
    expect(findUnsafeText({ a: 'ok', b: [1, 'fine', { c: 'x\u0000' }] })).toBe('.b.2.c');
    expect(findUnsafeText({ 'bad\ud800': 1 })).toBe('');
    expect(findUnsafeText('\u0000')).toBe('');
    expect(findUnsafeText({ a: ['😀'], b: null, c: 3, d: true })).toBeUndefined();
    expect(findUnsafeText(undefined)).toBeUndefined();
  });

  it('is looked for without recursion: deep JSON does not overflow the stack', () => {
    const depth = 200_000;
    const deep = JSON.parse(`${'['.repeat(depth)}"\\u0000"${']'.repeat(depth)}`);
    expect(findUnsafeText(deep)).toBe('.0'.repeat(depth));
  });
});
