import * as assert from 'node:assert/strict';
import type { MessageView } from '../../src/shared/protocol';
import { assistant, conversation, createPanel, user } from './webview-harness';

/** Records what is observed; the test decides what "comes near the viewport". */
class FakeIntersectionObserver {
  static instances: FakeIntersectionObserver[] = [];
  readonly observed = new Set<Element>();
  constructor(
    private readonly callback: IntersectionObserverCallback,
    readonly options?: IntersectionObserverInit,
  ) {
    FakeIntersectionObserver.instances.push(this);
  }
  observe(target: Element): void {
    this.observed.add(target);
  }
  unobserve(target: Element): void {
    this.observed.delete(target);
  }
  disconnect(): void {
    this.observed.clear();
  }
  takeRecords(): IntersectionObserverEntry[] {
    return [];
  }
  intersect(targets: Element[]): void {
    const entries = targets.map((target) => ({ target, isIntersecting: true }) as unknown as IntersectionObserverEntry);
    this.callback(entries, this as unknown as IntersectionObserver);
  }
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

  it('opens a 500-message conversation without rendering the old bodies', () => {
    const panel = createPanel({ IntersectionObserver: FakeIntersectionObserver as unknown as typeof IntersectionObserver });
    const started = Date.now();
    panel.init({ conversation: conversation(longConversation(250)) });
    const elapsed = Date.now() - started;
    assert.equal(panel.$$('.ml-msg').length, 500);
    assert.equal(panel.$$('.ml-code').length, 5);
    // jsdom is far slower than a real webview; this only catches accidental O(n²) work.
    assert.ok(elapsed < 3000, `init took ${elapsed} ms`);
  });
});
