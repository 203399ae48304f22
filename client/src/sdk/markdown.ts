/**
 * A small, safe Markdown subset for growth-thread entries and comments (bodies are stored as the
 * user wrote them; docs/THREADS.md asks clients to render them with HTML escaped). Pure: it parses
 * to a tree, which the web app turns into DOM nodes with text nodes only, and which `toHtml`
 * serialises with every character of user text escaped. No raw HTML passes through either way.
 *
 * Blocks: paragraphs (a single line break is kept), headings, bullet and numbered lists, block
 * quotes, fenced and indented code, horizontal rules. Inline: *emphasis*, **strong**, `code`,
 * [links](https://…), <https://…> and bare http(s) URLs, backslash escapes. Only http and https
 * links become links: `javascript:`, `data:` and every other scheme stay plain text.
 */

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'em'; children: Inline[] }
  | { type: 'strong'; children: Inline[] }
  | { type: 'code'; text: string }
  | { type: 'link'; href: string; children: Inline[] }
  | { type: 'break' };

export type Block =
  | { type: 'paragraph'; children: Inline[] }
  | { type: 'heading'; level: 1 | 2 | 3 | 4 | 5 | 6; children: Inline[] }
  | { type: 'list'; ordered: boolean; start: number; items: Inline[][] }
  | { type: 'quote'; children: Block[] }
  | { type: 'code'; text: string }
  | { type: 'rule' };

/** Nesting deeper than this (quotes in quotes, emphasis in emphasis) is read as plain text. */
const MAX_DEPTH = 8;

/** The URL when it is an absolute http(s) URL, else null. Everything else must not become a link. */
export function safeHref(raw: string): string | null {
  const url = raw.trim();
  if (!/^https?:\/\/[^\s]+$/i.test(url)) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

// ── blocks ────────────────────────────────────────────────────────────────

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
/** An ATX heading's opening run: 1–6 `#` followed by a space, a tab or the end of the line. */
const HEADING = /^ {0,3}(#{1,6})(?=[ \t]|$)/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const BULLET = /^ {0,3}[-*+][ \t]+(.*)$/;
const ORDERED = /^ {0,3}(\d{1,9})[.)][ \t]+(.*)$/;
const QUOTE = /^ {0,3}> ?(.*)$/;
const INDENTED = /^(?: {4}|\t)(.*)$/;
const blank = (line: string) => line.trim() === '';

/**
 * A heading's level and text, or null. Written out rather than as one regex: the closing `#` run
 * and the trailing blanks made `(.*?)(?:[ \t]+#+)?[ \t]*$` rescan long runs of spaces from every
 * position (quadratic; issue 13).
 */
function headingOf(line: string): { level: 1 | 2 | 3 | 4 | 5 | 6; text: string } | null {
  const open = HEADING.exec(line);
  if (!open) return null;
  const isBlank = (c: string | undefined) => c === ' ' || c === '\t';
  let from = open[0].length;
  let to = line.length;
  while (from < to && isBlank(line[from])) from++;
  while (to > from && isBlank(line[to - 1])) to--;
  // An optional closing run of `#`, set off by a blank ("# Title ##"), is not part of the text.
  let hashes = to;
  while (hashes > from && line[hashes - 1] === '#') hashes--;
  if (hashes < to && hashes > from && isBlank(line[hashes - 1])) {
    to = hashes;
    while (to > from && isBlank(line[to - 1])) to--;
  }
  return { level: open[1]!.length as 1 | 2 | 3 | 4 | 5 | 6, text: line.slice(from, to) };
}

/** Parses Markdown source into blocks. */
export function parseMarkdown(source: string): Block[] {
  return parseBlocks(source.replace(/\r\n?/g, '\n').split('\n'), 0);
}

function parseBlocks(lines: string[], depth: number): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (blank(line)) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1]!;
      const body: string[] = [];
      i++;
      while (i < lines.length && !new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}[ \\t]*$`).test(lines[i]!)) body.push(lines[i++]!);
      i++; // the closing fence (or the end of the text)
      blocks.push({ type: 'code', text: body.join('\n') });
      continue;
    }
    if (INDENTED.test(line)) {
      const body: string[] = [];
      while (i < lines.length && (INDENTED.test(lines[i]!) || blank(lines[i]!))) body.push(INDENTED.exec(lines[i++]!)?.[1] ?? '');
      while (body.length > 0 && blank(body.at(-1)!)) body.pop();
      blocks.push({ type: 'code', text: body.join('\n') });
      continue;
    }
    const heading = headingOf(line);
    if (heading) {
      blocks.push({ type: 'heading', level: heading.level, children: parseInline(heading.text, depth) });
      i++;
      continue;
    }
    if (RULE.test(line)) {
      blocks.push({ type: 'rule' });
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const inner: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i]!)) inner.push(QUOTE.exec(lines[i++]!)![1]!);
      blocks.push(depth < MAX_DEPTH ? { type: 'quote', children: parseBlocks(inner, depth + 1) } : { type: 'paragraph', children: [{ type: 'text', text: inner.join('\n') }] });
      continue;
    }
    const bullet = BULLET.exec(line);
    const ordered = ORDERED.exec(line);
    if (bullet || ordered) {
      const isOrdered = !bullet;
      const pattern = isOrdered ? ORDERED : BULLET;
      const items: string[][] = [];
      while (i < lines.length) {
        const l = lines[i]!;
        const m = pattern.exec(l);
        if (m) {
          items.push([isOrdered ? m[2]! : m[1]!]);
        } else if (!blank(l) && /^[ \t]+\S/.test(l) && items.length > 0) {
          items.at(-1)!.push(l.trim()); // a continuation line of the item
        } else break;
        i++;
      }
      blocks.push({
        type: 'list',
        ordered: isOrdered,
        start: isOrdered ? Number(ordered![1]) : 1,
        items: items.map((item) => parseInline(item.join('\n'), depth)),
      });
      continue;
    }
    // A paragraph runs until a blank line or a line that starts another block.
    const para: string[] = [];
    while (i < lines.length) {
      const l = lines[i]!;
      if (blank(l) || (para.length > 0 && (FENCE.test(l) || HEADING.test(l) || RULE.test(l) || QUOTE.test(l) || BULLET.test(l) || ORDERED.test(l)))) break;
      para.push(l.trim());
      i++;
    }
    blocks.push({ type: 'paragraph', children: parseInline(para.join('\n'), depth) });
  }
  return blocks;
}

// ── inline ────────────────────────────────────────────────────────────────

const PUNCT = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;
const BARE_URL = /^https?:\/\/[^\s<>]*[^\s<>.,:;"')\]!?]/i;
const ANGLE_URL = /^<(https?:\/\/[^\s<>]+)>/i;
const LINE_END = /^[\n\r\u2028\u2029]$/;
/** What follows a link's `]`: `(target)`, `(<target>)` or `(target "title")`. */
const LINK_TARGET = /^\(\s*<?([^\s()<>]*)>?(?:\s+"[^"]*")?\s*\)/;
const isSpace = (ch: string | undefined) => ch === undefined || /\s/.test(ch);
const isWordChar = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);

/** Parses inline Markdown (one paragraph, heading or list item). */
export function parseInline(text: string, depth = 0): Inline[] {
  const out: Inline[] = [];
  let buffer = '';
  const flush = () => {
    if (buffer) out.push({ type: 'text', text: buffer });
    buffer = '';
  };
  // Hostile input (thousands of unclosed `*` or `[`) must not make every opener scan to the end:
  // remember where a search already failed, and the next `]`.
  const noCloserFrom = new Map<string, number>();
  let nextBracket = -1;
  let noLinkBefore = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    const rest = () => text.slice(i);
    if (ch === '\\' && i + 1 < text.length && PUNCT.test(text[i + 1]!)) {
      buffer += text[i + 1];
      i += 2;
      continue;
    }
    if (ch === '\n') {
      flush();
      out.push({ type: 'break' });
      i++;
      continue;
    }
    if (ch === '`') {
      const run = /^`+/.exec(rest())![0];
      const close = text.indexOf(run, i + run.length);
      if (close !== -1) {
        flush();
        out.push({ type: 'code', text: text.slice(i + run.length, close).replace(/\n/g, ' ') });
        i = close + run.length;
        continue;
      }
      buffer += run;
      i += run.length;
      continue;
    }
    if (ch === '[') {
      if (nextBracket !== -2 && nextBracket <= i) nextBracket = text.indexOf(']', i);
      if (nextBracket === -1) nextBracket = -2; // none left
      const link = nextBracket >= 0 && text[nextBracket + 1] === '(' && i >= noLinkBefore ? readLink(text, i) : null;
      if (link && 'label' in link) {
        const href = safeHref(link.target);
        const children = depth < MAX_DEPTH ? parseInline(link.label, depth + 1) : [{ type: 'text' as const, text: link.label }];
        flush();
        // An unsafe target keeps its label as plain text: nothing clickable, nothing hidden.
        if (href) out.push({ type: 'link', href, children });
        else out.push(...children);
        i = link.end;
        continue;
      }
      // Every `[` before this label's `]` ends its label at that `]` too, and fails the same way.
      if (link) noLinkBefore = link.labelEnd;
    }
    if (ch === '<') {
      const angle = ANGLE_URL.exec(rest());
      const href = angle && safeHref(angle[1]!);
      if (angle && href) {
        flush();
        out.push({ type: 'link', href, children: [{ type: 'text', text: angle[1]! }] });
        i += angle[0].length;
        continue;
      }
    }
    if ((ch === 'h' || ch === 'H') && !isWordChar(text[i - 1])) {
      const bare = BARE_URL.exec(rest());
      if (bare) {
        const href = safeHref(bare[0]);
        flush();
        // A URL that does not parse stays text, all of it: retrying from each `h` inside would
        // rescan the rest of it every time.
        out.push(href ? { type: 'link', href, children: [{ type: 'text', text: bare[0] }] } : { type: 'text', text: bare[0] });
        i += bare[0].length;
        continue;
      }
    }
    if ((ch === '*' || ch === '_') && depth < MAX_DEPTH) {
      const emphasis = readEmphasis(text, i, depth, noCloserFrom);
      if (emphasis) {
        flush();
        out.push(emphasis.node);
        i = emphasis.end;
        continue;
      }
    }
    buffer += ch;
    i++;
  }
  flush();
  return out;
}

/**
 * `[label](target)` starting at the `[` at `start`: the label (backslash escapes kept, as the
 * label is parsed again) ends at the first unescaped `]`. Returns the link, or where its label
 * ended when what follows is not a target (null when the label never ends). One pass over the label.
 */
function readLink(text: string, start: number): { label: string; target: string; end: number } | { labelEnd: number } | null {
  let i = start + 1;
  while (i < text.length && text[i] !== ']') {
    if (text[i] === '\\' && LINE_END.test(text[i + 1] ?? '')) return { labelEnd: i }; // as `\\.` in a regex: no line end
    i += text[i] === '\\' ? 2 : 1;
  }
  if (i >= text.length) return null;
  const target = LINK_TARGET.exec(text.slice(i + 1));
  if (!target) return { labelEnd: i };
  return { label: text.slice(start + 1, i), target: target[1]!, end: i + 1 + target[0].length };
}

/**
 * `**strong**`, `__strong__`, `*em*` or `_em_` starting at `start`, or null. An opener must be
 * followed by a non-space and a closer preceded by one; `_` does not open or close inside a word
 * (snake_case stays as written).
 */
function readEmphasis(text: string, start: number, depth: number, noCloserFrom: Map<string, number>): { node: Inline; end: number } | null {
  const ch = text[start]!;
  const double = text[start + 1] === ch;
  for (const width of double ? [2, 1] : [1]) {
    const delim = ch.repeat(width);
    const from = start + width;
    if (isSpace(text[from]) || text[from] === ch) continue;
    if (ch === '_' && isWordChar(text[start - 1])) return null;
    // A closer's validity does not depend on the opener: once none was found after some point,
    // none exists after any later one either.
    const failedFrom = noCloserFrom.get(delim);
    if (failedFrom !== undefined && from >= failedFrom) continue;
    let close = text.indexOf(delim, from);
    while (close !== -1) {
      const okBefore = !isSpace(text[close - 1]);
      const okAfter = ch !== '_' || !isWordChar(text[close + width]);
      // A single `*` must not take the first half of a `**` closer.
      const notDoubled = width === 2 || text[close + 1] !== ch || text[close - 1] === ch;
      if (okBefore && okAfter && notDoubled && close > from) break;
      close = text.indexOf(delim, close + 1);
    }
    if (close === -1) {
      noCloserFrom.set(delim, Math.min(from, failedFrom ?? from));
      continue;
    }
    const children = parseInline(text.slice(from, close), depth + 1);
    return { node: { type: width === 2 ? 'strong' : 'em', children }, end: close + width };
  }
  return null;
}

// ── output ────────────────────────────────────────────────────────────────

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function inlineHtml(nodes: Inline[]): string {
  return nodes
    .map((n) => {
      switch (n.type) {
        case 'text':
          return escapeHtml(n.text);
        case 'em':
          return `<em>${inlineHtml(n.children)}</em>`;
        case 'strong':
          return `<strong>${inlineHtml(n.children)}</strong>`;
        case 'code':
          return `<code>${escapeHtml(n.text)}</code>`;
        case 'link':
          return `<a href="${escapeHtml(n.href)}" rel="nofollow noopener noreferrer">${inlineHtml(n.children)}</a>`;
        case 'break':
          return '<br>';
      }
    })
    .join('');
}

function blocksHtml(blocks: Block[]): string {
  return blocks
    .map((b) => {
      switch (b.type) {
        case 'paragraph':
          return `<p>${inlineHtml(b.children)}</p>`;
        case 'heading':
          return `<h${b.level}>${inlineHtml(b.children)}</h${b.level}>`;
        case 'list': {
          const items = b.items.map((item) => `<li>${inlineHtml(item)}</li>`).join('');
          return b.ordered ? `<ol${b.start !== 1 ? ` start="${b.start}"` : ''}>${items}</ol>` : `<ul>${items}</ul>`;
        }
        case 'quote':
          return `<blockquote>${blocksHtml(b.children)}</blockquote>`;
        case 'code':
          return `<pre><code>${escapeHtml(b.text)}</code></pre>`;
        case 'rule':
          return '<hr>';
      }
    })
    .join('');
}

/**
 * Markdown as an HTML string, every piece of user text escaped and only http(s) links kept: for
 * clients without a DOM (notification previews, e-mail). The web app builds DOM nodes from
 * parseMarkdown() instead.
 */
export function toHtml(source: string): string {
  return blocksHtml(parseMarkdown(source));
}

/** The text of Markdown without markup, whitespace collapsed (previews, titles). */
export function plainText(source: string): string {
  const text = (nodes: Inline[]): string => nodes.map((n) => (n.type === 'text' || n.type === 'code' ? n.text : n.type === 'break' ? ' ' : text(n.children))).join('');
  const blocks = (bs: Block[]): string[] =>
    bs.flatMap((b) => (b.type === 'code' ? [b.text] : b.type === 'rule' ? [] : b.type === 'quote' ? blocks(b.children) : b.type === 'list' ? b.items.map(text) : [text(b.children)]));
  return blocks(parseMarkdown(source)).join(' ').replace(/\s+/g, ' ').trim();
}
