import { describe, expect, it } from 'vitest';
import {
  applyFormat,
  completeMention,
  imageDescription,
  insertBlock,
  mentionAt,
  replacePlaceholder,
  uploadPlaceholder,
} from './markdownEdit';

const format = (text: string, format: Parameters<typeof applyFormat>[3]) => {
  // [ and ] mark the selection in the examples
  const start = text.indexOf('[');
  const end = text.indexOf(']') - 1;
  const edit = applyFormat(text.replace('[', '').replace(']', ''), start, end, format);
  return `${edit.value.slice(0, edit.start)}[${edit.value.slice(edit.start, edit.end)}]${edit.value.slice(edit.end)}`;
};

describe('applyFormat', () => {
  it('wraps the selection in bold, italic or code, and unwraps it again', () => {
    expect(format('a [word] here', 'bold')).toBe('a **[word]** here');
    expect(format('a **[word]** here', 'bold')).toBe('a [word] here');
    expect(format('a [word]', 'italic')).toBe('a _[word]_');
    expect(format('run [npm test]', 'code')).toBe('run `[npm test]`');
  });

  it('puts the markers round the caret when nothing is selected', () => {
    expect(format('say []', 'bold')).toBe('say **[]**');
  });

  it('makes a link of the selection and selects the address', () => {
    expect(format('see [the docs]', 'link')).toBe('see [the docs]([https://])');
    expect(format('[]', 'link')).toBe('[text]([https://])');
  });

  it('quotes or lists every selected line, and takes the prefix off again', () => {
    expect(format('one\nt[wo\nthr]ee', 'quote')).toBe('one\n> t[wo\n> thr]ee');
    expect(format('> [a\n> b]', 'quote')).toBe('[a\nb]');
    expect(format('[milk]', 'list')).toBe('- [milk]');
  });
});

describe('mentions', () => {
  it('finds the @name before the caret, not in an address or a word', () => {
    expect(mentionAt('hi @an', 6)).toEqual({ start: 3, query: 'an' });
    expect(mentionAt('@an', 3)).toEqual({ start: 0, query: 'an' });
    expect(mentionAt('(@an', 4)).toEqual({ start: 1, query: 'an' });
    expect(mentionAt('mail me@an', 10)).toBeNull();
    expect(mentionAt('hi @an there', 12)).toBeNull();
    expect(mentionAt('hi @', 4)).toBeNull();
  });

  it('completes it with the name and one space', () => {
    expect(completeMention('hi @an', 3, 6, 'ana_b')).toEqual({ value: 'hi @ana_b ', start: 10, end: 10 });
    expect(completeMention('hi @an and', 3, 6, 'ana')).toEqual({ value: 'hi @ana and', start: 8, end: 8 });
  });
});

describe('image uploads', () => {
  it('describes an image by its file name, without what would break the Markdown', () => {
    expect(imageDescription('Screenshot 2026-12-04 at 10.02.11.png')).toBe('Screenshot 2026-12-04 at 10.02.11');
    expect(imageDescription('a]b[c(d)e\\f.jpeg')).toBe('a b c d e f');
    expect(imageDescription('.png')).toBe('image');
    expect(imageDescription('x'.repeat(300))).toHaveLength(100);
  });

  it('puts the placeholder on a line of its own at the caret, then swaps it wherever it went', () => {
    const placeholder = uploadPlaceholder('bug.png', 1);
    expect(placeholder).toBe('![Uploading bug… (1)]()');
    const edit = insertBlock('before after', 6, 7, placeholder);
    expect(edit.value).toBe(`before\n${placeholder}\nafter`);
    expect(edit.start).toBe(`before\n${placeholder}\n`.length);
    expect(insertBlock('', 0, 0, placeholder).value).toBe(`${placeholder}\n`);
    // typed before it meanwhile: still found
    const typed = `more words ${edit.value}`;
    expect(replacePlaceholder(typed, placeholder, '![bug](/api/uploads/k.webp)')).toBe(
      'more words before\n![bug](/api/uploads/k.webp)\nafter',
    );
    // failed: gone with its line; deleted by the writer: nothing changes
    expect(replacePlaceholder(edit.value, placeholder, '')).toBe('before\nafter');
    expect(replacePlaceholder('nothing here', placeholder, 'x')).toBe('nothing here');
  });
});
