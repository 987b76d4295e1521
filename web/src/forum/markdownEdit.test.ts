import { describe, expect, it } from 'vitest';
import { applyFormat, completeMention, mentionAt } from './markdownEdit';

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
