// Small tree helpers for the freshly sanitised fragments. They avoid querySelector/closest on
// purpose: each fragment lives in its own throw-away document, and some DOM implementations
// (jsdom, used by the unit tests and benchmarks) build and register a selector engine per
// document, which made every call slower than the one before.

const ELEMENT_NODE = 1;

/** Elements under `root` (document order) for which `match` is true. */
export function findElements(root: Node, match: (el: Element) => boolean): Element[] {
  const found: Element[] = [];
  const visit = (node: Node): void => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType !== ELEMENT_NODE) continue;
      if (match(child as Element)) found.push(child as Element);
      visit(child);
    }
  };
  visit(root);
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
