import { describe, expect, it } from 'vitest';
import { threadReference } from './threadReference';

describe('threadReference', () => {
  it.each([
    ['123', 123],
    [' #123 ', 123],
    ['/t/123', 123],
    ['/t/123/4', 123],
    ['https://fans.example.com/t/123#post-5', 123],
    ['http://127.0.0.1:3000/t/77?x=1', 77],
  ])('%s → %s', (text, id) => {
    expect(threadReference(text)).toBe(id);
  });

  it.each(['', 'battery life', '0', '/t/abc', '/u/123', '12 34', '/t/1234567890123456'])('%s → null', (text) => {
    expect(threadReference(text)).toBeNull();
  });
});
