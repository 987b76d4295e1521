/** The composer's text with its selection: what a formatting button or a suggestion changes. */
export interface Edit {
  value: string;
  /** Selection start and end after the change. */
  start: number;
  end: number;
}

export type Format = 'bold' | 'italic' | 'code' | 'link' | 'quote' | 'list';

const WRAPS = { bold: '**', italic: '_', code: '`' } as const;
const LINE_PREFIXES = { quote: '> ', list: '- ' } as const;

/**
 * Applies a toolbar format to `value` with `start`–`end` selected. Inline formats wrap the
 * selection (or take the markers off again when it is already wrapped); with nothing selected
 * they put the markers with the caret between them. Quote and list prefix every selected line.
 * A link wraps the selection as the link's text and selects the address to type over.
 */
export function applyFormat(value: string, start: number, end: number, format: Format): Edit {
  const selected = value.slice(start, end);
  const before = value.slice(0, start);
  const after = value.slice(end);
  if (format === 'bold' || format === 'italic' || format === 'code') {
    const mark = WRAPS[format];
    if (before.endsWith(mark) && after.startsWith(mark) && selected !== '') {
      const unwrapped = `${before.slice(0, -mark.length)}${selected}${after.slice(mark.length)}`;
      return { value: unwrapped, start: start - mark.length, end: end - mark.length };
    }
    return { value: `${before}${mark}${selected}${mark}${after}`, start: start + mark.length, end: end + mark.length };
  }
  if (format === 'link') {
    const text = selected || 'text';
    const url = 'https://';
    const head = `${before}[${text}](`;
    return { value: `${head}${url})${after}`, start: head.length, end: head.length + url.length };
  }
  const prefix = LINE_PREFIXES[format];
  const lineStart = before.lastIndexOf('\n') + 1;
  const block = value.slice(lineStart, end);
  const lines = block.split('\n');
  const prefixed = lines.every((line) => line.startsWith(prefix))
    ? lines.map((line) => line.slice(prefix.length))
    : lines.map((line) => `${prefix}${line}`);
  const changed = prefixed.join('\n');
  const shift = changed.length - block.length;
  const firstShift = (prefixed[0]?.length ?? 0) - (lines[0]?.length ?? 0);
  return {
    value: `${value.slice(0, lineStart)}${changed}${after}`,
    start: Math.max(lineStart, start + firstShift),
    end: end + shift,
  };
}

/** The `@name` being typed just before the caret, if any (what a mention suggestion completes). */
export function mentionAt(value: string, caret: number): { start: number; query: string } | null {
  const match = /(?:^|[^A-Za-z0-9_@/.])@([A-Za-z0-9_]{1,20})$/.exec(value.slice(0, caret));
  if (!match) return null;
  const query = match[1] as string;
  return { start: caret - query.length - 1, query };
}

/** Puts `@username ` in place of the `@query` that starts at `start` and runs to the caret. */
export function completeMention(value: string, start: number, caret: number, username: string): Edit {
  const inserted = `@${username} `;
  const rest = value.slice(caret).replace(/^ /, '');
  const next = `${value.slice(0, start)}${inserted}${rest}`;
  const at = start + inserted.length;
  return { value: next, start: at, end: at };
}
