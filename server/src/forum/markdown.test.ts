import { describe, expect, it } from 'vitest';
import { imagePath } from '../images/urls';
import { excerpt, mentionCandidates, renderMarkdown } from './markdown';

const users = new Map([
  ['maria', 'Maria'],
  ['dev_team', 'dev_team'],
]);

describe('markdown rendering', () => {
  it('renders headings, lists, code, quotes and tables', () => {
    const { html } = renderMarkdown(
      '# Title\n\n- a\n- b\n\n```\ncode <b>\n```\n\n> quoted\n\n| a | b |\n|---|---|\n| 1 | 2 |\n',
    );
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<li>a</li>');
    expect(html).toContain('<pre><code>code &lt;b&gt;\n</code></pre>');
    expect(html).toContain('<blockquote>');
    expect(html).toContain('<table>');
  });

  it('never passes raw HTML or script through', () => {
    const { html } = renderMarkdown('<script>alert(1)</script> <img src=x onerror=alert(1)> <b onclick="x">hi</b>');
    expect(html).not.toMatch(/<script|<img|<b /);
    expect(html).toContain('&lt;script&gt;');
  });

  it.each([
    '[x](javascript:alert(1))',
    '[x](JaVaScRiPt:alert(1))',
    '[x](  javascript:alert(1))',
    '[x](vbscript:msgbox)',
    '[x](data:text/html;base64,PHNjcmlwdD4=)',
    '<javascript:alert(1)>',
    '[x](//evil.example/path)',
  ])('does not link %s', (raw) => {
    const { html } = renderMarkdown(raw);
    expect(html).not.toMatch(/<a /);
  });

  it('marks links nofollow ugc noopener and keeps http(s), mailto and site links', () => {
    const { html } = renderMarkdown(
      '[a](https://example.com) [b](mailto:x@example.com) [c](/t/1) https://auto.example',
    );
    expect(html.match(/rel="nofollow ugc noopener"/g)).toHaveLength(4);
    expect(html).toContain('href="https://example.com"');
    expect(html).toContain('href="/t/1"');
  });

  it('shows images only over https, and through Fanlab (never the remote URL)', () => {
    const rendered = renderMarkdown('![cat](https://img.example/cat.png) ![again](https://img.example/cat.png)');
    expect(rendered.html).toContain(`<img src="${imagePath('https://img.example/cat.png')}" alt="cat" loading="lazy">`);
    expect(rendered.html).not.toContain('img.example');
    expect(rendered.images).toEqual(['https://img.example/cat.png']);
    const insecure = renderMarkdown('![cat <b>](http://img.example/cat.png)').html;
    expect(insecure).not.toContain('<img');
    expect(insecure).toContain('cat');
    const long = renderMarkdown(`![long](https://img.example/${'a'.repeat(2100)}.png)`);
    expect(long.html).not.toContain('<img');
    expect(long.images).toEqual([]);
  });

  it('links mentions of existing users only, not in code or links', () => {
    const r = renderMarkdown(
      'hi @maria and @MARIA, @nobody, `@maria`, email a@maria.com, [@dev_team](https://x.example)',
      users,
    );
    expect(r.html).toContain(
      '<a class="mention" href="/u/Maria">@Maria</a> and <a class="mention" href="/u/Maria">@Maria</a>',
    );
    expect(r.html).toContain('@nobody');
    expect(r.html).toContain('<code>@maria</code>');
    expect(r.html).not.toContain('href="/u/dev_team"');
    expect(r.mentions).toEqual(['Maria']);
    expect(mentionCandidates('hey @Maria and @bob_1 and x@y')).toEqual(['maria', 'bob_1']);
  });

  it('renders attributed quote blocks and reports what they quote', () => {
    const r = renderMarkdown('[quote="Maria, post:3, thread:12"]\nShe said **this**\n[/quote]\n\nI agree', users);
    expect(r.html).toContain('<aside class="quote" data-username="Maria" data-post="3" data-thread="12">');
    expect(r.html).toContain('<div class="quote-title">Maria:</div><blockquote>');
    expect(r.html).toContain('<strong>this</strong>');
    expect(r.quotes).toEqual([{ username: 'Maria', postNumber: 3, threadId: 12 }]);
    const hostile = renderMarkdown('[quote="<script>, post:1"]\nx\n[/quote]');
    expect(hostile.html).not.toContain('<script');
    expect(renderMarkdown('[quote]\nunclosed').html).toContain('[quote]');
  });

  it('pairs quote tags like brackets: nested, unclosed, in blockquotes and lists', () => {
    const count = (html: string) => html.split('<aside class="quote"').length - 1;
    const nested = renderMarkdown('[quote="a, post:1"]\nouter\n[quote="b, post:2"]\ninner\n[/quote]\nafter\n[/quote]');
    expect(count(nested.html)).toBe(2);
    expect(nested.html).toMatch(/outer[\s\S]*<aside[\s\S]*inner[\s\S]*<\/aside>[\s\S]*after[\s\S]*<\/aside>/);
    expect(nested.quotes.map((q) => q.username).sort()).toEqual(['a', 'b']);
    // an unclosed opening line stays text; the pair after it is a quote
    const partly = renderMarkdown('[quote]\nlost\n\n[quote]\nkept\n[/quote]');
    expect(count(partly.html)).toBe(1);
    expect(partly.html).toContain('[quote]');
    expect(partly.html).toMatch(/<aside class="quote"><blockquote>\n<p>kept<\/p>/);
    expect(count(renderMarkdown('> [quote]\n> in a blockquote\n> [/quote]').html)).toBe(1);
    expect(count(renderMarkdown('- [quote]\n  in a list\n  [/quote]').html)).toBe(1);
    // thousands of unclosed tags: all text, no quote
    const many = renderMarkdown('[quote]\n'.repeat(4_000));
    expect(count(many.html)).toBe(0);
    // quotes nest 20 deep; deeper tags stay text and nothing is lost
    const deep = renderMarkdown(`${'[quote]\n'.repeat(150)}deep\n${'[/quote]\n'.repeat(150)}\nlast words`).html;
    expect(count(deep)).toBe(20);
    expect(deep).toContain('deep');
    expect(deep).toContain('last words');
  });

  it('aligns table cells with classes, never style attributes (the CSP allows no inline styles)', () => {
    const { html } = renderMarkdown('| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |');
    expect(html).not.toContain('style=');
    expect(html).toContain('<th class="align-left">a</th>');
    expect(html).toContain('<td class="align-center">2</td>');
    expect(html).toContain('<td class="align-right">3</td>');
  });

  it('makes plain-text excerpts', () => {
    expect(excerpt('<p>Hello &amp; <b>welcome</b></p>')).toBe('Hello & welcome');
    expect(excerpt(`<p>${'x'.repeat(300)}</p>`, 10)).toHaveLength(10);
  });
});
