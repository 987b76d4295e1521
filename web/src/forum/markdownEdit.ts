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

/** What a file's name says an image shows, as Markdown image text: no extension, no brackets. */
export function imageDescription(fileName: string): string {
  const base = fileName.replace(/\.[A-Za-z0-9]{1,5}$/, '');
  const text = base
    .replace(/[[\]()\\\n\r]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.slice(0, 100) || 'image';
}

/** The text standing in an upload's place while it is under way (`n` keeps two apart). */
export function uploadPlaceholder(fileName: string, n: number): string {
  return `![Uploading ${imageDescription(fileName)}… (${n})]()`;
}

/**
 * Puts `text` in at the selection (replacing it), on a line of its own; the caret goes after it.
 */
export function insertBlock(value: string, start: number, end: number, text: string): Edit {
  const before = value.slice(0, start);
  const after = value.slice(end);
  const lead = before === '' || before.endsWith('\n') ? '' : '\n';
  const trail = after.startsWith('\n') ? '' : '\n';
  const head = `${before}${lead}${text}${trail}`;
  return { value: `${head}${after}`, start: head.length, end: head.length };
}

/**
 * Swaps an upload's placeholder for what it became (the image, or nothing when it failed),
 * wherever the writer's typing has moved it meanwhile. The text is unchanged when the
 * placeholder is gone (the writer deleted it).
 */
export function replacePlaceholder(value: string, placeholder: string, replacement: string): string {
  const at = value.indexOf(placeholder);
  if (at < 0) return value;
  let end = at + placeholder.length;
  // a failed upload takes its line with it
  if (replacement === '' && value[end] === '\n' && (at === 0 || value[at - 1] === '\n')) end += 1;
  return `${value.slice(0, at)}${replacement}${value.slice(end)}`;
}
