import MarkdownIt, { type StateBlock, type StateCore, type Token } from 'markdown-it';

/**
 * Markdown → HTML, rendered once when a post is saved; clients only ever show this output.
 * Raw HTML is off; links may only be http(s), mailto or site-relative and get
 * rel="nofollow ugc noopener"; images only over https; `@name` of an existing user links to
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
}

interface Env {
  /** lower-case username → canonical username, for the users that exist */
  users: Map<string, string>;
  mentions: Set<string>;
  quotes: QuoteRef[];
}

const MENTION = /(^|[^A-Za-z0-9_@/.])@([A-Za-z0-9_]{3,20})(?![A-Za-z0-9_])/g;

/** Names that look like mentions in raw Markdown (the renderer decides which really are). */
export function mentionCandidates(raw: string): string[] {
  const names = new Set<string>();
  for (const m of raw.matchAll(MENTION)) names.add((m[2] ?? '').toLowerCase());
  return [...names].slice(0, 50);
}

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

md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  const token = tokens[idx] as Token;
  if (!String(token.attrGet('class') ?? '').includes('mention')) token.attrSet('rel', 'nofollow ugc noopener');
  return self.renderToken(tokens, idx, options);
};

md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx] as Token;
  const src = String(token.attrGet('src') ?? '');
  const alt = self.renderInlineAsText(token.children ?? [], options, env);
  if (!src.toLowerCase().startsWith('https://')) return md.utils.escapeHtml(alt);
  token.attrSet('alt', alt);
  token.attrSet('loading', 'lazy');
  token.attrSet('referrerpolicy', 'no-referrer');
  return renderToken(tokens, idx, options);
};

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

function quoteBlock(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  const open = QUOTE_OPEN.exec(lineText(state, startLine));
  if (!open) return false;
  let depth = 1;
  let close = startLine + 1;
  for (; close < endLine; close++) {
    const text = lineText(state, close).trim();
    if (QUOTE_OPEN.test(text)) depth += 1;
    else if (text === '[/quote]' && --depth === 0) break;
  }
  if (close >= endLine) return false;
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
  const env = state.env as unknown as Env;
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
  const env: Env = { users, mentions: new Set(), quotes: [] };
  const html = md.render(raw, env as unknown as Record<string, unknown>);
  return { html, mentions: [...env.mentions], quotes: env.quotes };
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
