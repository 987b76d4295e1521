// npm run bench:markdown: "rendering is linear in the input" (issue 16, finding 1).
//
// Renders adversarial Markdown (unclosed and nested quotes, lists, emphasis, brackets, tables, long
// lines, backticks, references…) at 4, 8, 16 and 32 KB — 32 KB is just over the post limit — with
// the server's own renderMarkdown(). For each shape it prints the median time per KB at every size
// and FAILS when the time per KB at 32 KB is more than FLATNESS × that at 8 KB (super-linear
// growth), or when rendering 32 KB takes more than BUDGET_MS.
import { performance } from 'node:perf_hooks';
import { renderMarkdown } from '../../server/src/forum/markdown';
import { percentile } from './lib/harness';

const SIZES_KB = [4, 8, 16, 32];
const REPEATS = 7;
/** Allowed growth of ms/KB from 8 KB to 32 KB: linear work stays near 1×; quadratic gives 4×. */
const FLATNESS = 2.5;
/** Worst acceptable time for one 32 KB render (the event loop is blocked meanwhile). */
const BUDGET_MS = 60;

const shapes: Record<string, (n: number) => string> = {
  'unclosed quotes': (n) => '[quote]\n'.repeat(n),
  'nested quotes': (n) => `${'[quote="a, post:1, thread:1"]\n'.repeat(n)}x\n${'[/quote]\n'.repeat(n)}`,
  'quotes in blockquotes': (n) => '> [quote]\n'.repeat(n),
  'quotes in lists': (n) => '- [quote]\n  x\n'.repeat(n),
  'closes only': (n) => '[/quote]\n'.repeat(n),
  'indented lists': (n) => Array.from({ length: n }, (_, i) => `${' '.repeat(i % 40)}- x`).join('\n'),
  'nested blockquotes': (n) => `${'>'.repeat(n)} x`,
  'nested lists': (n) => Array.from({ length: n }, (_, i) => `${'  '.repeat(i)}- x`).join('\n'),
  emphasis: (n) => '*a **b '.repeat(n),
  'emphasis runs': (n) => `${'*'.repeat(n)}a${'_'.repeat(n)}`,
  brackets: (n) => `${'['.repeat(n)}${'](x'.repeat(n)}`,
  'unclosed links': (n) => '[a](b '.repeat(n),
  'link references': (n) => `${'[a]: b\n'.repeat(n)}${'[a]'.repeat(n)}`,
  'table rows': (n) => `|a|b|\n|-|-|\n${'|x|y|\n'.repeat(n)}`,
  'wide table': (n) => `|${'a|'.repeat(n)}\n|${'-|'.repeat(n)}\n${`|${'x|'.repeat(n)}\n`.repeat(3)}`,
  'long line': (n) => 'a'.repeat(n * 8),
  backticks: (n) => `${'`'.repeat(n)}a`,
  'backtick pairs': (n) => 'a`'.repeat(n),
  'angle brackets': (n) => '<'.repeat(n * 4),
  autolinks: (n) => 'http://a.example/'.repeat(n),
  mentions: (n) => '@someone '.repeat(n),
  entities: (n) => '&#'.repeat(n * 2),
  strikethrough: (n) => '~~a'.repeat(n * 2),
  'fences unclosed': (n) => '```\n'.repeat(n),
  headings: (n) => '# a\n'.repeat(n),
};

/** Input of exactly `kb` KB of the shape. */
function inputOf(shape: (n: number) => string, kb: number): string {
  const bytes = kb * 1000;
  let n = 1;
  while (shape(n).length < bytes) n = Math.ceil(n * 1.5) + 1;
  return shape(n).slice(0, bytes);
}

function medianMs(src: string): number {
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const started = performance.now();
    renderMarkdown(src);
    times.push(performance.now() - started);
  }
  return percentile(
    times.sort((a, b) => a - b),
    50,
  );
}

let failed = 0;
console.log(`renderMarkdown, median of ${REPEATS}; ms per KB at ${SIZES_KB.join(' / ')} KB`);
for (const [name, shape] of Object.entries(shapes)) {
  medianMs(inputOf(shape, 4)); // warm up the JIT on this shape
  const perKb = SIZES_KB.map((kb) => medianMs(inputOf(shape, kb)) / kb);
  const at8 = perKb[SIZES_KB.indexOf(8)] ?? 0;
  const at32 = perKb[SIZES_KB.indexOf(32)] ?? 0;
  const growth = at32 / Math.max(at8, 0.005); // below 5 µs/KB, timer noise dominates
  const total32 = at32 * 32;
  const ok = growth <= FLATNESS && total32 <= BUDGET_MS;
  if (!ok) failed += 1;
  console.log(
    `${ok ? 'PASS' : 'FAIL'}  ${name.padEnd(22)} ${perKb.map((v) => v.toFixed(3).padStart(7)).join(' ')}  ` +
      `32KB ${total32.toFixed(1).padStart(6)} ms  growth ${growth.toFixed(2)}×`,
  );
}
console.log(
  failed
    ? `FAIL: ${failed} shape(s) grow faster than linear or exceed ${BUDGET_MS} ms`
    : `PASS: every shape linear (≤ ${FLATNESS}× ms/KB from 8 to 32 KB) and ≤ ${BUDGET_MS} ms at 32 KB`,
);
process.exit(failed ? 1 : 0);
