// Small DOM builders. Text always goes in as text nodes; the one way to insert HTML is
// `trustedHtml`, used only for the server-sanitized `bodyHtml` and `signatureHtml`.

type Child = Node | string | number | null | undefined | false;
type AttrValue = string | number | boolean | null | undefined;
export type Attrs = Record<string, AttrValue | ((event: Event) => void)>;

/** Create an element: `h('a', { href: '/f/1', class: 'x' }, 'text', otherNode)`. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Array<Child | Child[]>): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (typeof value === 'function') el.addEventListener(key.replace(/^on/, ''), value);
    else if (value === true) el.setAttribute(key, '');
    else if (value !== false && value !== null && value !== undefined) el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

/** Append children (strings become text nodes, never HTML). */
export function append(parent: Node, children: Array<Child | Child[]>): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** Replace an element's children. */
export function replaceChildren(parent: Element, ...children: Array<Child | Child[]>): void {
  parent.replaceChildren();
  append(parent, children);
}

/**
 * Put server-rendered HTML into an element. Only for `bodyHtml` and `signatureHtml`, which the
 * server renders and sanitizes with an allow-list on write; nothing else may reach innerHTML.
 */
export function trustedHtml(el: Element, sanitizedByServer: string): void {
  el.innerHTML = sanitizedByServer;
}

/** Select every element carrying `data-<name>="<value>"` under a root. */
export function byData(root: ParentNode, name: string, value: string): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(`[data-${name}="${CSS.escape(value)}"]`)];
}
