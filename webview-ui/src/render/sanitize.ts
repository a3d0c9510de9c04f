// Turns untrusted HTML (marked's output for model text, which may carry prompt-injected raw
// HTML) into a fragment that is safe to insert into the webview.
//
// Two stages, both in DOMPurify's inert document (created with DOMParser: nothing loads, no
// handlers run), so an <img src> never exists in the live document even for a moment:
// 1. DOMPurify with a strict tag/attribute allow-list (hooks narrow attributes per tag).
// 2. The URL policy on the already-clean tree: links keep only http(s) targets (all that the
//    host opens; others would be dead links) and lose real navigation; images are never
//    loaded and become click-to-open links. It runs after DOMPurify's walk because it
//    restructures the tree (unwrapping and replacing nodes inside DOMPurify's hooks would
//    make its node iterator skip children).
import DOMPurify from 'dompurify';
import type { Config, DOMPurify as Purifier, WindowLike } from 'dompurify';
import { findElements, hasAncestor, isTag } from './domWalk';

const ALLOWED_TAGS = [
  'a', 'abbr', 'b', 'blockquote', 'br', 'code', 'del', 'div', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'hr', 'i', 'img', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 's', 'span', 'strong', 'sub', 'sup',
  'table', 'tbody', 'td', 'th', 'thead', 'tr', 'u', 'ul',
];

/** Attributes allowed per tag; `img` survives stage 1 only to be replaced in stage 2. */
const ATTRS_BY_TAG: Record<string, readonly string[]> = {
  a: ['href', 'title'],
  abbr: ['title'],
  img: ['src', 'alt', 'title'],
  code: ['class'],
  th: ['align'],
  td: ['align'],
  ol: ['start'],
};

const CONFIG: Config & { RETURN_DOM_FRAGMENT: true } = {
  ALLOWED_TAGS,
  ALLOWED_ATTR: ['href', 'title', 'src', 'alt', 'align', 'start', 'class'],
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  ALLOWED_URI_REGEXP: /^https?:/i,
  RETURN_DOM_FRAGMENT: true,
};

const LANGUAGE_CLASS = /^language-[\w+#.-]{1,40}$/;
// Exactly what the host's openExternalLink opens; other schemes render as plain text.
const HTTP_PROTOCOLS = new Set(['http:', 'https:']);

const purifiers = new WeakMap<object, Purifier>();

function purifierFor(doc: Document): Purifier {
  const view = doc.defaultView ?? globalThis.window;
  let purifier = purifiers.get(view);
  if (!purifier) {
    purifier = DOMPurify(view as unknown as WindowLike);
    // Parsed once: otherwise DOMPurify re-parses the config for every block it sanitises
    // (and then ignores the CONFIG passed to sanitize below, which stays for its return type).
    purifier.setConfig(CONFIG);
    purifier.addHook('uponSanitizeAttribute', (node, event) => {
      const allowed = ATTRS_BY_TAG[node.nodeName.toLowerCase()];
      if (!allowed?.includes(event.attrName)) event.keepAttr = false;
      else if (event.attrName === 'class' && !LANGUAGE_CLASS.test(event.attrValue)) event.keepAttr = false;
    });
    purifiers.set(view, purifier);
  }
  return purifier;
}

/** Sanitises `html` and applies the link/image policy. The fragment is not yet in `doc`. */
export function sanitizeHtml(html: string, doc: Document): DocumentFragment {
  const fragment = purifierFor(doc).sanitize(html, CONFIG);
  for (const link of findElements(fragment, (el) => isTag(el, 'a'))) applyLinkPolicy(link as HTMLAnchorElement);
  for (const image of findElements(fragment, (el) => isTag(el, 'img'))) replaceImage(image as HTMLImageElement);
  return fragment;
}

/**
 * The URL if it may be opened from the chat (http, https), normalised; else null.
 * The host should check again before opening.
 */
export function safeLinkUrl(value: string | null | undefined): string | null {
  return parseAllowedUrl(value)?.href ?? null;
}

function parseAllowedUrl(value: string | null | undefined): URL | null {
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  if (!HTTP_PROTOCOLS.has(url.protocol) || !url.host) return null;
  return url;
}

/** A link the app opens via the host on click; no href, so the webview never navigates. */
function makeLinkLike(el: Element, url: string): void {
  el.setAttribute('data-href', url);
  el.setAttribute('title', url);
  el.setAttribute('role', 'link');
  el.setAttribute('tabindex', '0');
}

function applyLinkPolicy(link: HTMLAnchorElement): void {
  const url = safeLinkUrl(link.getAttribute('href'));
  link.removeAttribute('href');
  if (!url) {
    // Keep the label as plain content (moved one by one: a spread of many children overflows).
    while (link.firstChild) link.before(link.firstChild);
    link.remove();
    return;
  }
  link.className = 'ml-link';
  makeLinkLike(link, url);
}

// Remote images are a zero-click exfiltration channel (the URL can carry data), so they are
// never loaded: an http(s) image becomes a link the user may choose to open.
function replaceImage(image: HTMLImageElement): void {
  const doc = image.ownerDocument;
  const alt = (image.getAttribute('alt') ?? '').trim();
  const label = `${alt || 'image'}`;
  const url = parseAllowedUrl(image.getAttribute('src'));
  // Inside a link the image is just that link's label (links must not nest).
  if (!url || hasAncestor(image, (el) => isTag(el, 'a'))) {
    image.replaceWith(doc.createTextNode(`[image: ${label}]`));
    return;
  }
  const link = doc.createElement('a');
  link.className = 'ml-image-link';
  makeLinkLike(link, url.href);
  // An icon, not an emoji: the webview may have no emoji font.
  const icon = doc.createElement('span');
  icon.className = 'codicon codicon-file-media';
  icon.setAttribute('aria-hidden', 'true');
  link.append(icon, doc.createTextNode(` ${label} (image from ${url.host}, not loaded)`));
  image.replaceWith(link);
}
