import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvRecords, neutralised, UTF8_BOM } from './exports';

// What spreadsheets and parsers get from every export: RFC 4180, formula-safe, UTF-8.
const hostile = [
  'plain',
  'a "quoted" word',
  'commas, everywhere, ,',
  'line one\nline two\r\nline three',
  'emoji 🚀👩🏽‍💻 and 中文 and हिन्दी',
  'עברית مرحبا right to left',
  '=HYPERLINK("http://evil.example","click")',
  '+1+1',
  '-2+3',
  '@SUM(A1)',
  '\tleading tab',
  '\rleading return',
  '',
  ' spaces around ',
];

describe('CSV of exports', () => {
  it('parses back to the same values with a real CSV parser, formulas neutralised', () => {
    const rows = hostile.map((text, i) => [i, text, i % 2 === 0]);
    const text = csvRecords([['n', 'text', 'even'], ...rows]);
    expect(text.endsWith('\r\n')).toBe(true);
    const parsed = parse(text, { relax_quotes: false }) as string[][];
    expect(parsed[0]).toEqual(['n', 'text', 'even']);
    for (const [i, row] of parsed.slice(1).entries()) {
      const original = hostile[i] as string;
      expect(row).toEqual([String(i), neutralised(original), i % 2 === 0 ? 'true' : 'false']);
    }
    // formula-like cells start with an apostrophe; nothing else changed
    expect(parsed[7]?.[1]).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(parsed[1]?.[1]).toBe('plain');
  });

  it('keeps numbers numbers (a negative number is not text to neutralise), nulls empty and dates ISO', () => {
    const text = csvRecords([[-3, null, new Date('2026-12-01T10:00:00.000Z'), 2.5]]);
    expect(parse(text)).toEqual([['-3', '', '2026-12-01T10:00:00.000Z', '2.5']]);
  });

  it('with a byte order mark, a parser that knows it reads the same header', () => {
    const text = `${UTF8_BOM}${csvRecords([['título', '中文']])}`;
    expect(parse(text, { bom: true })).toEqual([['título', '中文']]);
    expect(Buffer.from(text, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });
});
