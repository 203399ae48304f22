/** Tiny DOM helpers: build elements declaratively and reconcile keyed lists. No framework. */

type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;
type Child = Node | string | number | null | undefined | false;

/**
 * Creates an element: `h('button', { class: 'primary', onclick: fn, 'data-testid': 'send' }, 'Send')`.
 * `on*` attributes with a function become listeners; `false`/`null`/`undefined` attributes are left out.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'value' && 'value' in el) (el as HTMLInputElement).value = String(value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** One item of a keyed list: rebuilt only when its signature changes. */
export interface Keyed {
  key: string;
  /** Any string that changes whenever the item must look different. */
  sig: string;
  build(): HTMLElement;
}

/**
 * Makes `container`'s children match `items` in order, reusing the element of every item whose
 * key and signature are unchanged, so focus, selection and scroll position survive updates.
 */
export function reconcile(container: HTMLElement, items: readonly Keyed[], cache: Map<string, { el: HTMLElement; sig: string }>): void {
  const wanted = new Set<string>();
  let cursor: ChildNode | null = container.firstChild;
  for (const item of items) {
    wanted.add(item.key);
    let held = cache.get(item.key);
    if (!held || held.sig !== item.sig) {
      const el = item.build();
      el.dataset.key = item.key;
      if (held) {
        held.el.replaceWith(el);
        // The rebuilt element takes the old one's place, cursor included.
        if (cursor === held.el) cursor = el;
      }
      held = { el, sig: item.sig };
      cache.set(item.key, held);
    }
    if (held.el === cursor) cursor = cursor.nextSibling;
    else container.insertBefore(held.el, cursor);
  }
  for (const [key, held] of cache) {
    if (!wanted.has(key)) {
      held.el.remove();
      cache.delete(key);
    }
  }
}

/** Removes every child. */
export function clear(el: Element): void {
  while (el.firstChild) el.firstChild.remove();
}
