import type { Transform } from 'node:stream';
import { buffer, text } from 'node:stream/consumers';
import type { ExportFormat } from '@fanlab/shared';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/app';
import { CrlfRecords, exportShape, exportStream, inlineParameters, JsonArray, sqlLiteral, UTF8_BOM } from './exports';

// What spreadsheets and parsers get from every export: RFC 4180, formula-safe, UTF-8, written
// by PostgreSQL's COPY from a query whose parameters are written in as literals.
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
  "it's o'clock",
  'back\\slash \\n not a newline',
  "'); drop table users; --",
  '$1 and $2 look like parameters',
  '\u0001 control \u001f characters',
];
const neutralised = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const shape = exportShape(['n', 'text', 'even', 'at', 'score', 'nothing'], {
  n: 'number',
  text: 'text',
  even: 'boolean',
  at: 'timestamp',
  score: 'number',
  nothing: 'text',
});

/** The hostile strings as rows, every value a parameter of the query. */
function hostileRows() {
  return sql`
    select n::int as n, v.text, n % 2 = 0 as even,
           ${new Date('2026-12-01T10:00:00.123Z')}::timestamptz + make_interval(secs => n) as at,
           n - 3.5::float8 as score, null::text as nothing
    from unnest(${hostile}::text[]) with ordinality as v(text, n)
    order by n`;
}

const exported = (format: ExportFormat) => text(exportStream(t.db, hostileRows(), shape, format));

describe('exports', () => {
  it('write CSV that a real parser reads back to the same values, CRLF records, formulas neutralised', async () => {
    const csv = await exported('csv');
    expect(csv.endsWith('\r\n')).toBe(true);
    // records end with CRLF only (a bare LF between records would merge two of them here); line
    // breaks inside a quoted cell are the cell's own
    const parsed = parse(csv, { relax_quotes: false, record_delimiter: ['\r\n'] }) as string[][];
    expect(parsed).toHaveLength(hostile.length + 1);
    expect(parsed[0]).toEqual(['n', 'text', 'even', 'at', 'score', 'nothing']);
    for (const [i, row] of parsed.slice(1).entries()) {
      const n = i + 1;
      const at = new Date(Date.parse('2026-12-01T10:00:00.123Z') + n * 1000).toISOString();
      expect(row).toEqual([
        String(n),
        neutralised(hostile[i] as string),
        n % 2 === 0 ? 'true' : 'false',
        at,
        String(n - 3.5),
        '',
      ]);
    }
    expect(parsed[7]?.[1]).toBe(`'=HYPERLINK("http://evil.example","click")`);
    // numbers stay numbers: a negative one is not text to neutralise
    expect(parsed[1]?.[4]).toBe('-2.5');
  });

  /** Passes `text` through a new transform in three chunks, for every place of the two cuts. */
  async function throughEverySplit(make: () => Transform, text: string, expected: string) {
    const bytes = Buffer.from(text);
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      for (let cut2 = cut; cut2 <= bytes.length; cut2 += 2) {
        const transform = make();
        const done = buffer(transform);
        transform.write(bytes.subarray(0, cut));
        transform.write(bytes.subarray(cut, cut2));
        transform.end(bytes.subarray(cut2));
        expect((await done).toString(), `cut at ${cut} and ${cut2}`).toBe(expected);
      }
    }
  }

  it("ends CSV records with CRLF wherever PostgreSQL's chunks happen to split them", async () => {
    await throughEverySplit(
      () => new CrlfRecords(),
      'a,"b ""quoted"" \nwith a break",c\n"x\n\n",,"""\n"\nlast,"",\n',
      'a,"b ""quoted"" \nwith a break",c\r\n"x\n\n",,"""\n"\r\nlast,"",\r\n',
    );
  });

  it('make one JSON array of the lines wherever the chunks split them, and [] of none', async () => {
    await throughEverySplit(
      () => new JsonArray(),
      '{"a":1}\n{"b":"x,y"}\n{"c":[]}\n',
      '[\n{"a":1},\n{"b":"x,y"},\n{"c":[]}\n]\n',
    );
    await throughEverySplit(() => new JsonArray(), '', '[]\n');
  });

  it('write JSON Lines and a JSON array with the same values, not neutralised, nulls as null', async () => {
    const lines = (await exported('jsonl'))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const array = JSON.parse(await exported('json'));
    expect(array).toEqual(lines);
    expect(lines).toHaveLength(hostile.length);
    lines.forEach((line, i) => {
      const n = i + 1;
      expect(Object.keys(line)).toEqual(['n', 'text', 'even', 'at', 'score', 'nothing']);
      expect(line).toEqual({
        n,
        text: hostile[i],
        even: n % 2 === 0,
        at: new Date(Date.parse('2026-12-01T10:00:00.123Z') + n * 1000).toISOString(),
        score: n - 3.5,
        nothing: null,
      });
    });
  });

  it('write an empty JSON array and a CSV of only its header when nothing matches', async () => {
    const none = sql`select * from (${hostileRows()}) as rows where false`;
    expect(JSON.parse(await text(exportStream(t.db, none, shape, 'json')))).toEqual([]);
    expect(await text(exportStream(t.db, none, shape, 'jsonl'))).toBe('');
    expect(await text(exportStream(t.db, none, shape, 'csv'))).toBe('n,text,even,at,score,nothing\r\n');
  });

  it('start with a byte order mark when asked, which a parser that knows it reads past', async () => {
    const bytes = await buffer(exportStream(t.db, hostileRows(), shape, 'csv', { bom: true }));
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(bytes.toString('utf8').startsWith(UTF8_BOM)).toBe(true);
    expect((parse(bytes, { bom: true }) as string[][])[0]?.[0]).toBe('n');
  });

  it('write parameters as literals that mean exactly the value, and refuse what has none', async () => {
    for (const value of hostile) {
      const { rows } = await sql<{ v: string }>`select ${sql.raw(sqlLiteral(value))}::text as v`.execute(t.db);
      expect(rows[0]?.v).toBe(value);
    }
    expect(sqlLiteral(-3)).toBe('(-3)');
    expect(sqlLiteral([])).toBe(`'{}'`);
    expect(sqlLiteral(null)).toBe('NULL');
    expect(() => sqlLiteral(Number.NaN)).toThrow();
    expect(() => sqlLiteral('a\0b')).toThrow();
    expect(() => sqlLiteral({})).toThrow();
    // placeholders inside quoted text or names are not parameters
    expect(inlineParameters({ sql: `select '$1', "$1", $1`, parameters: ["o'k"] })).toBe(`select '$1', "$1", E'o''k'`);
    expect(() => inlineParameters({ sql: 'select $2', parameters: [1] })).toThrow();
  });

  it('end with the error when the query fails, and the pool still answers', async () => {
    const failing = sql`select 1 / (n - n) as n from generate_series(1, 3) as n`;
    const stream = exportStream(t.db, failing, exportShape(['n'], { n: 'number' }), 'csv');
    await expect(text(stream)).rejects.toThrow(/division by zero/);
    // the pool still answers
    expect((await sql<{ one: number }>`select 1 as one`.execute(t.db)).rows[0]?.one).toBe(1);
  });
});
