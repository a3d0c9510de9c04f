import * as assert from 'node:assert/strict';
import type { MessageView } from '../../src/shared/protocol';
import { assistant, conversation, createPanel, FakeIntersectionObserver, user } from './webview-harness';

/** Searches that look at a whole subtree: they count once per element in it. */
const SUBTREE_SEARCHES = new Set(['querySelector', 'querySelectorAll', 'getElementsByClassName', 'getElementsByTagName', 'getElementsByName', 'getElementById']);

/**
 * Counts the DOM work of one jsdom window: a call to any method or property accessor of its DOM
 * classes is one unit, and a search counts as many units as the elements it looks through. The
 * count measures work without a clock, the same on a busy machine as on an idle one.
 */
function countDomWork(window: Window & typeof globalThis): { readonly units: number } {
  let units = 0;
  let inside = false;
  const counted = (f: (...args: unknown[]) => unknown, key: string, allElements?: (root: unknown) => number) =>
    function (this: unknown, ...args: unknown[]) {
      if (inside) return f.apply(this, args);
      units += SUBTREE_SEARCHES.has(key) && allElements ? 1 + allElements(this) : 1;
      // Event listeners are our code again; count what they do.
      if (key === 'dispatchEvent') return f.apply(this, args);
      // The DOM's own calls into itself are part of the unit already.
      inside = true;
      try {
        return f.apply(this, args);
      } finally {
        inside = false;
      }
    };
  // Every node class (Node, Element, HTMLButtonElement, Text…) and the objects elements hand out.
  const classes = Object.getOwnPropertyNames(window)
    .map((name) => Object.getOwnPropertyDescriptor(window, name)?.value as unknown)
    .filter((value): value is { prototype: object } => typeof value === 'function' && value.prototype instanceof window.Node);
  classes.push(window.EventTarget, window.Node, window.DOMTokenList, window.CSSStyleDeclaration, window.NamedNodeMap);
  for (const { prototype } of classes) {
    const querySelectorAll = Object.getOwnPropertyDescriptor(prototype, 'querySelectorAll')?.value as ((selector: string) => NodeList) | undefined;
    const allElements = querySelectorAll && ((root: unknown) => querySelectorAll.call(root, '*').length);
    for (const key of Object.getOwnPropertyNames(prototype)) {
      const descriptor = Object.getOwnPropertyDescriptor(prototype, key);
      if (key === 'constructor' || !descriptor?.configurable) continue;
      if (typeof descriptor.value === 'function') Object.defineProperty(prototype, key, { ...descriptor, value: counted(descriptor.value, key, allElements) });
      else if (descriptor.get || descriptor.set) {
        Object.defineProperty(prototype, key, { ...descriptor, get: descriptor.get && counted(descriptor.get, key), set: descriptor.set && counted(descriptor.set, key) });
      }
    }
  }
  return {
    get units() {
      return units;
    },
  };
}

function longConversation(pairs: number): MessageView[] {
  const messages: MessageView[] = [];
  for (let i = 0; i < pairs; i++) {
    messages.push(user(`u${i}`, `Question ${i}`));
    messages.push(assistant(`a${i}`, `Answer ${i}\n\n\`\`\`ts\nconst n = ${i};\n\`\`\`\n`));
  }
  return messages;
}

describe('webview lazy rendering of long conversations', () => {
  beforeEach(() => (FakeIntersectionObserver.instances = []));

  it('renders only the newest messages now and the rest when they come near the viewport', () => {
    const panel = createPanel({ IntersectionObserver: FakeIntersectionObserver as unknown as typeof IntersectionObserver });
    panel.init({ conversation: conversation(longConversation(20)) });

    assert.equal(panel.$$('.ml-msg').length, 40, 'every message has its place in the log');
    const rendered = panel.$$('.ml-msg-assistant .ml-msg-body:not(.is-pending)');
    assert.deepEqual(rendered.map((b) => b.parentElement?.getAttribute('data-id')), ['a15', 'a16', 'a17', 'a18', 'a19']);
    assert.equal(panel.$$('.ml-code').length, 5);

    const pending = panel.$('[data-id="a3"] .ml-msg-body');
    assert.ok(pending.classList.contains('is-pending'));
    assert.equal(pending.textContent, '');
    assert.match(pending.style.getPropertyValue('--ml-body-est'), /^\d+px$/);

    const observer = FakeIntersectionObserver.instances[0];
    assert.match(observer.options?.rootMargin ?? '', /px/);
    assert.equal(observer.observed.size, 15);
    observer.intersect([panel.$('[data-id="a3"]')]);
    assert.equal(pending.classList.contains('is-pending'), false);
    assert.match(pending.textContent ?? '', /Answer 3/);
    assert.ok(pending.querySelector('.ml-code'));
    assert.equal(observer.observed.size, 14);
  });

  it('stops observing messages that are removed or replaced', () => {
    const panel = createPanel({ IntersectionObserver: FakeIntersectionObserver as unknown as typeof IntersectionObserver });
    panel.init({ conversation: conversation(longConversation(20)) });
    const observer = FakeIntersectionObserver.instances[0];
    panel.deliver({ type: 'conversation', conversation: conversation([user('x', 'fresh')], 'c2') });
    assert.equal(observer.observed.size, 0);
  });

  it('renders everything at once without IntersectionObserver', () => {
    const panel = createPanel();
    panel.init({ conversation: conversation(longConversation(20)) });
    assert.equal(panel.$$('.ml-msg-body.is-pending').length, 0);
    assert.equal(panel.$$('.ml-code').length, 20);
  });

  it('opens a 500-message conversation without rendering the old bodies, in work linear in its length', () => {
    /** Opens a conversation of `pairs` prompts and answers; returns the panel and the DOM calls it took. */
    const open = (pairs: number) => {
      FakeIntersectionObserver.instances = [];
      const panel = createPanel({ IntersectionObserver: FakeIntersectionObserver as unknown as typeof IntersectionObserver });
      const work = countDomWork(panel.window as unknown as Window & typeof globalThis);
      panel.init({ conversation: conversation(longConversation(pairs)) });
      return { panel, units: work.units };
    };
    const half = open(125);
    const { panel, units } = open(250);
    assert.equal(panel.$$('.ml-msg').length, 500);
    assert.equal(panel.$$('.ml-code').length, 5);
    assert.equal(panel.$$('.ml-msg-body.is-pending').length, 245, 'every older answer waits for the viewport');
    assert.equal(FakeIntersectionObserver.instances[0].observed.size, 245);
    // Accidental O(n²) work (say, a search of the log for each message added) would make twice the
    // messages cost four times the DOM work; linear work costs twice, less the fixed part.
    assert.ok(half.units > 250, `${half.units} units of DOM work for 250 messages`);
    assert.ok(units < 2.5 * half.units, `${units} units of DOM work for 500 messages, ${half.units} for 250`);
  });
});
