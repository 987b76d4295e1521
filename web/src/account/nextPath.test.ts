import { describe, expect, it } from 'vitest';
import { safeNextPath, withNext } from './nextPath';

describe('safeNextPath', () => {
  it('accepts paths on this site', () => {
    expect(safeNextPath('/account')).toBe('/account');
    expect(safeNextPath('/ideas/42?sort=new#top')).toBe('/ideas/42?sort=new#top');
  });

  it('falls back for anything else', () => {
    for (const next of [
      null,
      undefined,
      '',
      'account',
      '//evil.example',
      '/\\evil.example',
      '/\t/evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
    ]) {
      expect(safeNextPath(next)).toBe('/');
    }
    expect(safeNextPath('//evil.example', '/home')).toBe('/home');
  });

  it('re-checks the path after normalising (dot segments, encoded and backslash forms)', () => {
    for (const next of [
      '/.//evil.example',
      '/./../..//evil.example',
      '/a/..//evil.example',
      '/%2e//evil.example',
      '/%2E%2E//evil.example',
      '/.\\/evil.example',
      '/./\\evil.example',
      '/.//evil.example/path?x=1',
    ]) {
      expect(safeNextPath(next), next).toBe('/');
    }
    // ordinary paths with dot segments still work
    expect(safeNextPath('/a/./b/../c')).toBe('/a/c');
    expect(safeNextPath('/%2F%2Fevil.example')).toBe('/%2F%2Fevil.example'); // an encoded slash is no separator
  });
});

describe('withNext', () => {
  it('adds a safe next parameter', () => {
    expect(withNext('/sign-in', '/account')).toBe('/sign-in?next=%2Faccount');
    expect(withNext('/sign-up', '/')).toBe('/sign-up');
    expect(withNext('/sign-in', '//evil.example')).toBe('/sign-in');
    expect(withNext('/sign-in', null)).toBe('/sign-in');
  });
});
