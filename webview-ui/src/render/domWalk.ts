// Small tree helpers for the freshly sanitised fragments. They avoid querySelector/closest on
// purpose: each fragment lives in its own throw-away document, and some DOM implementations
// (jsdom, used by the unit tests and benchmarks) build and register a selector engine per
// document, which made every call slower than the one before.

const ELEMENT_NODE = 1;

/**
 * Elements under `root` (document order) for which `match` is true. A loop, not recursion:
 * untrusted HTML may nest thousands of elements deep.
 */
export function findElements(root: Node, match: (el: Element) => boolean): Element[] {
  const found: Element[] = [];
  let node: Node | null = root.firstChild;
  while (node) {
    if (node.nodeType === ELEMENT_NODE && match(node as Element)) found.push(node as Element);
    // Next in document order: first child, else next sibling, else an ancestor's next sibling.
    let next: Node | null = node.nodeType === ELEMENT_NODE ? node.firstChild : null;
    while (!next && node && node !== root) {
      next = node.nextSibling;
      if (!next) node = node.parentNode;
    }
    node = next;
  }
  return found;
}

/** Whether an ancestor of `el` (not `el` itself) matches. */
export function hasAncestor(el: Element, match: (el: Element) => boolean): boolean {
  for (let node = el.parentElement; node; node = node.parentElement) {
    if (match(node)) return true;
  }
  return false;
}

export function isTag(el: Element, tag: string): boolean {
  return el.localName === tag;
}
