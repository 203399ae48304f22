import { parseMarkdown, type Block, type Inline } from '@menteo/sdk';
import { h } from '../dom.js';

/**
 * User Markdown as DOM: built from the SDK's parse tree with elements and text nodes only, so no
 * user text is ever read as HTML. Links are http(s) only (the parser drops every other scheme)
 * and open in a new tab without access to this page.
 */
export function markdown(source: string, attrs: Record<string, string> = {}): HTMLElement {
  return h('div', { class: 'md', ...attrs }, parseMarkdown(source).map(block));
}

function inline(node: Inline): Node {
  switch (node.type) {
    case 'text':
      return document.createTextNode(node.text);
    case 'em':
      return h('em', {}, node.children.map(inline));
    case 'strong':
      return h('strong', {}, node.children.map(inline));
    case 'code':
      return h('code', {}, node.text);
    case 'link':
      return h('a', { href: node.href, target: '_blank', rel: 'nofollow noopener noreferrer' }, node.children.map(inline));
    case 'break':
      return h('br');
  }
}

function block(node: Block): HTMLElement {
  switch (node.type) {
    case 'paragraph':
      return h('p', {}, node.children.map(inline));
    case 'heading':
      // Entry headings sit inside a page with its own h1–h3: keep them small.
      return h(node.level <= 2 ? 'h4' : 'h5', {}, node.children.map(inline));
    case 'list': {
      const items = node.items.map((item) => h('li', {}, item.map(inline)));
      return node.ordered ? h('ol', { start: node.start === 1 ? null : node.start }, items) : h('ul', {}, items);
    }
    case 'quote':
      return h('blockquote', {}, node.children.map(block));
    case 'code':
      return h('pre', {}, h('code', {}, node.text));
    case 'rule':
      return h('hr');
  }
}
