import { describe, expect, it } from 'vitest';
import en from './en.json';
import es from './es.json';

type Catalog = { [key: string]: string | Catalog };

/** `{ a: { b: 'x' } }` → `{ 'a.b': 'x' }` */
function flatten(catalog: Catalog, prefix = ''): Map<string, unknown> {
  const entries = new Map<string, unknown>();
  for (const [key, value] of Object.entries(catalog)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [nested, text] of flatten(value, path)) entries.set(nested, text);
    } else {
      entries.set(path, value);
    }
  }
  return entries;
}

const placeholders = (text: unknown) => [...String(text).matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();

const catalogs = { en: flatten(en), es: flatten(es) };

describe('translation catalogs', () => {
  it('have exactly the same keys', () => {
    expect([...catalogs.es.keys()].sort()).toEqual([...catalogs.en.keys()].sort());
  });

  for (const [language, entries] of Object.entries(catalogs)) {
    it(`${language} has no empty or non-string values`, () => {
      const bad = [...entries].filter(([, text]) => typeof text !== 'string' || text.trim() === '');
      expect(bad.map(([key]) => key)).toEqual([]);
    });
  }

  it('use the same placeholders in every language', () => {
    const mismatched = [...catalogs.en].filter(
      ([key, text]) => placeholders(text).join() !== placeholders(catalogs.es.get(key)).join(),
    );
    expect(mismatched.map(([key]) => key)).toEqual([]);
  });
});
