/** Something `element` can hold: a node, text (always inserted as a Text node, never parsed), or nothing. */
export type Child = Node | string | number | null | undefined | false;

/** Options of {@link element}. Attributes are set one by one; never `style` or event handlers. */
export interface ElementOptions {
  readonly className?: string;
  /** Text content (set with textContent, so markup in it stays text). */
  readonly text?: string;
  readonly title?: string;
  readonly attributes?: Readonly<Record<string, string>>;
}

/**
 * Builds an element without ever parsing HTML: data from the ledger (file names, model names, API error text)
 * can contain markup, and it must render as text.
 */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: ElementOptions = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (options.className) node.className = options.className;
  if (options.title !== undefined) node.title = options.title;
  for (const [name, value] of Object.entries(options.attributes ?? {})) {
    if (name === 'style' || name.startsWith('on')) throw new Error(`element(): attribute ${name} is not allowed`);
    node.setAttribute(name, value);
  }
  if (options.text !== undefined) node.textContent = options.text;
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(
      typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child,
    );
  }
  return node;
}

/** A button that runs `action` on click (Enter and Space included); `focusKey` lets focus survive a re-render. */
export function button(
  label: string,
  action: () => void,
  options: ElementOptions & { readonly focusKey?: string } = {},
): HTMLButtonElement {
  const attributes: Record<string, string> = { type: 'button', ...options.attributes };
  if (options.focusKey) attributes['data-focus-key'] = options.focusKey;
  const node = element('button', { ...options, attributes, text: label });
  node.addEventListener('click', action);
  return node;
}

/** A horizontal bar for a fraction 0–1 (width through CSSOM, which the CSP allows; no style attribute). */
export function fractionBar(fraction: number, className: string, label: string): HTMLDivElement {
  const clamped = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
  const fill = element('div', { className: 'bar-fill' });
  fill.style.width = `${(clamped * 100).toFixed(1)}%`;
  return element(
    'div',
    {
      className: `bar ${className}`,
      attributes: {
        role: 'progressbar',
        'aria-valuemin': '0',
        'aria-valuemax': '100',
        'aria-valuenow': String(Math.round(fraction * 100)),
        'aria-label': label,
      },
    },
    fill,
  );
}

/** A titled section (`<section>` with an `<h2>`). */
export function section(title: string, className: string, ...children: Child[]): HTMLElement {
  return element(
    'section',
    { className: `report-section ${className}`, attributes: { 'aria-label': title } },
    element('h2', { text: title }),
    ...children,
  );
}
