import { UPLOAD_PATH_PATTERN } from '@fanlab/shared';
import MarkdownIt, { type StateBlock, type StateCore, type Token } from 'markdown-it';
import { imagePath, MAX_IMAGE_URL_LENGTH } from '../images/urls';

/**
 * Markdown → HTML, rendered once when a post is saved; clients only ever show this output.
 * Raw HTML is off; links may only be http(s), mailto or site-relative and get
 * rel="nofollow ugc noopener"; images only over https, and shown through Fanlab
 * (`/api/images/<hash>`, see server/src/images/) so readers never contact the remote host, or
 * uploaded here (`/api/uploads/<key>`, shown as they are); `@name` of an existing user links to
 * the profile; `[quote="name, post:N, thread:M"]…[/quote]` blocks become attributed quotes.
 */

export interface QuoteRef {
  username: string;
  postNumber: number | null;
  threadId: number | null;
}

export interface Rendered {
  html: string;
  /** Canonical usernames mentioned (linked) in the text, outside code. */
  mentions: string[];
  /** Quote blocks that name a post. */
  quotes: QuoteRef[];
  /** Remote image URLs the HTML shows (through /api/images/<hash>); record them (recordImages). */
  images: string[];
  /** Images uploaded to Fanlab the HTML shows (`/api/uploads/<key>`, served as they are). */
  uploads: string[];
  /** External links (http, https, mailto) the text makes, outside mentions: new members' limit. */
  links: string[];
}

interface Env {
  /** lower-case username → canonical username, for the users that exist */
  users: Map<string, string>;
  mentions: Set<string>;
  quotes: QuoteRef[];
  images: string[];
  uploads: string[];
  links: string[];
  /** Quote pairs of the source, found once per render (see quotePairs). */
  quotePairs?: { src: string; closeOf: Map<number, number> };
}

const MENTION = /(^|[^A-Za-z0-9_@/.])@([A-Za-z0-9_]{3,20})(?![A-Za-z0-9_])/g;

/** Names that look like mentions in raw Markdown (the renderer decides which really are). */
export function mentionCandidates(raw: string): string[] {
  const names = new Set<string>();
  for (const m of raw.matchAll(MENTION)) names.add((m[2] ?? '').toLowerCase());
  return [...names].slice(0, 50);
}

const UPLOAD_PATH = new RegExp(UPLOAD_PATH_PATTERN);

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });

md.validateLink = (url: string) => {
  const u = url.trim().toLowerCase();
  return (
    u.startsWith('http://') ||
    u.startsWith('https://') ||
    u.startsWith('mailto:') ||
    /^\/(?!\/)/.test(u) ||
    u.startsWith('#')
  );
};

const renderToken = md.renderer.renderToken.bind(md.renderer);

md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx] as Token;
  if (!String(token.attrGet('class') ?? '').includes('mention')) {
    token.attrSet('rel', 'nofollow ugc noopener');
    const href = String(token.attrGet('href') ?? '');
    if (/^(https?:|mailto:)/i.test(href)) (env as unknown as Env).links.push(href);
  }
  return self.renderToken(tokens, idx, options);
};

md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx] as Token;
  const src = String(token.attrGet('src') ?? '');
  const alt = self.renderInlineAsText(token.children ?? [], options, env);
  if (UPLOAD_PATH.test(src)) {
    // an image uploaded here: shown from where Fanlab serves it
    (env as unknown as Env).uploads.push(src);
  } else if (!src.toLowerCase().startsWith('https://') || src.length > MAX_IMAGE_URL_LENGTH) {
    return md.utils.escapeHtml(alt);
  } else {
    (env as unknown as Env).images.push(src);
    token.attrSet('src', imagePath(src));
  }
  token.attrSet('alt', alt);
  token.attrSet('loading', 'lazy');
  return renderToken(tokens, idx, options);
};

/**
 * Table cell alignment as a class, not a `style` attribute: the CSP allows no inline styles.
 * (Stored posts rendered before this keep their attribute; the browser ignores it.)
 */
for (const rule of ['th_open', 'td_open'] as const) {
  md.renderer.rules[rule] = (tokens, idx, options, _env, self) => {
    const token = tokens[idx] as Token;
    const align = /^text-align:(left|center|right)$/.exec(String(token.attrGet('style') ?? ''))?.[1];
    if (token.attrs) token.attrs = token.attrs.filter(([name]) => name !== 'style');
    if (align) token.attrSet('class', `align-${align}`);
    return self.renderToken(tokens, idx, options);
  };
}

function parseQuoteAttributes(text: string | undefined): QuoteRef {
  const [name = '', ...parts] = (text ?? '').split(',').map((s) => s.trim());
  const numberOf = (key: string) => {
    const part = parts.find((p) => p.startsWith(`${key}:`));
    const n = part ? Number(part.slice(key.length + 1)) : Number.NaN;
    return Number.isInteger(n) && n > 0 ? n : null;
  };
  return {
    username: /^[A-Za-z0-9_]{1,20}$/.test(name) ? name : '',
    postNumber: numberOf('post'),
    threadId: numberOf('thread'),
  };
}

const QUOTE_OPEN = /^\[quote(?:="([^"\n]{0,200})")?\]\s*$/;

function lineText(state: StateBlock, line: number) {
  return state.src.slice((state.bMarks[line] ?? 0) + (state.tShift[line] ?? 0), state.eMarks[line]);
}

const QUOTE_CLOSE = '[/quote]';
/** What may stand before a quote tag on its line: indentation, `>` markers, list markers. */
const LINE_PREFIX = /^(?:[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))?)*[ \t]*/;

/**
 * Pairs every `[quote…]` line of the source with its `[/quote]` line in one pass (a stack), as
 * offsets of the tags' first characters. Scanning ahead for the close at every opening line
 * made rendering quadratic: a post of 4,000 unclosed `[quote]` lines took seconds of CPU.
 */
function quotePairs(src: string): Map<number, number> {
  const closeOf = new Map<number, number>();
  const open: number[] = [];
  let lineStart = 0;
  while (lineStart <= src.length) {
    let lineEnd = src.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = src.length;
    const line = src.slice(lineStart, lineEnd);
    const prefix = LINE_PREFIX.exec(line)?.[0].length ?? 0;
    const text = line.slice(prefix);
    if (text.startsWith('[quote') && QUOTE_OPEN.test(text)) open.push(lineStart + prefix);
    else if (text.trimEnd() === QUOTE_CLOSE) {
      const from = open.pop();
      if (from !== undefined) closeOf.set(from, lineStart + prefix);
    }
    lineStart = lineEnd + 1;
  }
  return closeOf;
}

/** The line (below endLine) whose text starts at `offset`, by binary search over line starts. */
function lineAt(state: StateBlock, offset: number, from: number, endLine: number): number | undefined {
  let low = from;
  let high = endLine - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const start = state.bMarks[mid] ?? 0;
    if (start > offset) high = mid - 1;
    else if ((state.bMarks[mid + 1] ?? Number.POSITIVE_INFINITY) <= offset) low = mid + 1;
    else return start + (state.tShift[mid] ?? 0) === offset ? mid : undefined;
  }
  return undefined;
}

/**
 * Deeper quote tags stay text: markdown-it stops parsing (and drops what follows) at nesting
 * level 100, so quotes must not use that budget up.
 */
const MAX_QUOTE_LEVEL = 20;

function quoteBlock(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  if (state.level >= MAX_QUOTE_LEVEL) return false;
  const open = QUOTE_OPEN.exec(lineText(state, startLine));
  if (!open) return false;
  const env = state.env as unknown as Env;
  if (env.quotePairs?.src !== state.src) env.quotePairs = { src: state.src, closeOf: quotePairs(state.src) };
  const closeOffset = env.quotePairs.closeOf.get((state.bMarks[startLine] ?? 0) + (state.tShift[startLine] ?? 0));
  const close = closeOffset === undefined ? undefined : lineAt(state, closeOffset, startLine + 1, endLine);
  if (close === undefined) return false;
  if (silent) return true;

  const ref = parseQuoteAttributes(open[1]);
  const token = state.push('fanlab_quote_open', 'aside', 1);
  token.meta = { ...ref };
  token.map = [startLine, close + 1];
  const oldLineMax = state.lineMax;
  state.lineMax = close;
  state.md.block.tokenize(state, startLine + 1, close);
  state.lineMax = oldLineMax;
  state.push('fanlab_quote_close', 'aside', -1);
  state.line = close + 1;
  if (ref.username && ref.postNumber) env.quotes.push(ref);
  return true;
}

md.block.ruler.before('fence', 'fanlab_quote', quoteBlock, { alt: ['paragraph', 'reference', 'blockquote', 'list'] });

md.renderer.rules.fanlab_quote_open = (tokens, idx) => {
  const ref = (tokens[idx] as Token).meta as unknown as QuoteRef;
  const esc = md.utils.escapeHtml;
  const data = [
    ref.username ? ` data-username="${esc(ref.username)}"` : '',
    ref.postNumber ? ` data-post="${ref.postNumber}"` : '',
    ref.threadId ? ` data-thread="${ref.threadId}"` : '',
  ].join('');
  const title = ref.username ? `<div class="quote-title">${esc(ref.username)}:</div>` : '';
  return `<aside class="quote"${data}>${title}<blockquote>\n`;
};
md.renderer.rules.fanlab_quote_close = () => '</blockquote></aside>\n';

/** Turns `@name` in plain text (not in links or code) into profile links for existing users. */
function linkMentions(state: StateCore) {
  const env = state.env as unknown as Env;
  for (const block of state.tokens) {
    if (block.type !== 'inline' || !block.children) continue;
    const out: Token[] = [];
    let linkDepth = 0;
    for (const token of block.children) {
      if (token.type === 'link_open') linkDepth += 1;
      if (token.type === 'link_close') linkDepth -= 1;
      if (token.type !== 'text' || linkDepth > 0 || !token.content.includes('@')) {
        out.push(token);
        continue;
      }
      let last = 0;
      for (const m of token.content.matchAll(MENTION)) {
        const canonical = env.users.get((m[2] ?? '').toLowerCase());
        if (!canonical) continue;
        const at = (m.index ?? 0) + (m[1]?.length ?? 0);
        if (at > last) out.push(textToken(state, token.content.slice(last, at)));
        const openToken = new state.Token('link_open', 'a', 1);
        openToken.attrs = [
          ['class', 'mention'],
          ['href', `/u/${canonical}`],
        ];
        out.push(openToken, textToken(state, `@${canonical}`), new state.Token('link_close', 'a', -1));
        env.mentions.add(canonical);
        last = at + 1 + (m[2]?.length ?? 0);
      }
      if (last === 0) out.push(token);
      else if (last < token.content.length) out.push(textToken(state, token.content.slice(last)));
    }
    block.children = out;
  }
}

function textToken(state: StateCore, content: string) {
  const t = new state.Token('text', '', 0);
  t.content = content;
  return t;
}

md.core.ruler.push('fanlab_mentions', linkMentions);

/**
 * Renders Markdown. `users` maps lower-case usernames to their canonical form for the
 * users that exist (look them up with mentionCandidates first).
 */
export function renderMarkdown(raw: string, users: Map<string, string> = new Map()): Rendered {
  const env: Env = { users, mentions: new Set(), quotes: [], images: [], uploads: [], links: [] };
  const html = md.render(raw, env as unknown as Record<string, unknown>);
  return {
    html,
    mentions: [...env.mentions],
    quotes: env.quotes,
    images: [...new Set(env.images)],
    uploads: [...new Set(env.uploads)],
    links: env.links,
  };
}

/** Plain-text excerpt of rendered HTML (for lists and notifications). */
export function excerpt(html: string, max = 200): string {
  const text = html
    .replace(/<aside class="quote"[\s\S]*?<\/aside>/g, ' ')
    .replace(/<\/?(p|div|li|ul|ol|h[1-6]|blockquote|pre|table|tr|td|th|br|hr)\b[^>]*>/g, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
