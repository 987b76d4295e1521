import { describe, expect, it } from 'vitest';
import { insertAt, quoteOf } from './quote';

const post = { author: { id: 1, username: 'ana' }, postNumber: 3, threadId: 7, cooked: '<p>x</p>' };

describe('quoteOf', () => {
  it('quotes the Markdown source when there is one', () => {
    expect(quoteOf({ ...post, raw: 'Hello **there**\n' })).toBe(
      '[quote="ana, post:3, thread:7"]\nHello **there**\n[/quote]\n\n',
    );
  });
});

describe('insertAt', () => {
  it('starts an empty draft with the quote', () => {
    expect(insertAt('', 'Q\n\n', null)).toBe('Q\n\n');
  });

  it('puts the quote on its own paragraph at the caret', () => {
    expect(insertAt('Hi', 'Q\n\n', null)).toBe('Hi\n\nQ\n\n');
    expect(insertAt('Hi\n', 'Q\n\n', 3)).toBe('Hi\n\nQ\n\n');
    expect(insertAt('ab', 'Q\n\n', 0)).toBe('Q\n\nab');
  });
});
