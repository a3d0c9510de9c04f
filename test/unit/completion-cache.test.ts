import * as assert from 'node:assert/strict';
import { CompletionCache } from '../../src/completion/completionCache';

describe('CompletionCache', () => {
  const DOC = 'file:///a.ts';

  it('an exact hit returns the suggestion; another place, document or suffix does not', () => {
    const cache = new CompletionCache();
    cache.store(DOC, 'const x = ', ';\n', 'clamp(v)');
    assert.equal(cache.lookup(DOC, 'const x = ', ';\n'), 'clamp(v)');
    assert.equal(cache.lookup('file:///b.ts', 'const x = ', ';\n'), undefined);
    assert.equal(cache.lookup(DOC, 'const y = ', ';\n'), undefined);
    assert.equal(cache.lookup(DOC, 'const x = ', '\n'), undefined);
  });

  it('an empty suggestion is an exact hit too: the model had nothing there', () => {
    const cache = new CompletionCache();
    cache.store(DOC, 'end', '', '');
    assert.equal(cache.lookup(DOC, 'end', ''), '');
  });

  it('typing through a suggestion returns its rest; backspace returns more of it', () => {
    const cache = new CompletionCache();
    cache.store(DOC, 'const x = ', ';', 'clamp(v)');
    assert.equal(cache.lookup(DOC, 'const x = c', ';'), 'lamp(v)');
    assert.equal(cache.lookup(DOC, 'const x = clam', ';'), 'p(v)');
    assert.equal(cache.lookup(DOC, 'const x = cla', ';'), 'mp(v)', 'backspace');
    assert.equal(cache.lookup(DOC, 'const x = ', ';'), 'clamp(v)', 'back to where it was asked');
  });

  it('typing something else, or the whole suggestion, is no hit', () => {
    const cache = new CompletionCache();
    cache.store(DOC, 'const x = ', ';', 'clamp(v)');
    assert.equal(cache.lookup(DOC, 'const x = cr', ';'), undefined);
    // What follows a suggestion typed (or accepted) to its end is worth a new request.
    assert.equal(cache.lookup(DOC, 'const x = clamp(v)', ';'), undefined);
    // Backspace before the place it was asked for is not served: the deleted text was the user's.
    assert.equal(cache.lookup(DOC, 'const x =', ';'), undefined);
  });

  it('matches on the prefix tail only, so long documents key by the text near the cursor', () => {
    const cache = new CompletionCache({ prefixChars: 8 });
    cache.store(DOC, `${'a'.repeat(100)}let v = `, '', '42;');
    assert.equal(cache.lookup(DOC, `${'b'.repeat(50)}let v = `, ''), '42;', 'same last 8 characters');
    assert.equal(cache.lookup(DOC, `${'b'.repeat(50)}let v = 4`, ''), '2;');
  });

  it('a prefix shorter than the tail must match from the start of the document', () => {
    const cache = new CompletionCache({ prefixChars: 100 });
    cache.store(DOC, 'x = ', '', 'f()');
    assert.equal(cache.lookup(DOC, 'y; x = ', ''), undefined);
    assert.equal(cache.lookup(DOC, 'y; x = f', ''), undefined);
    assert.equal(cache.lookup(DOC, 'x = f', ''), '()');
  });

  it('finds the typed-through entry when the tail repeats in the suggestion', () => {
    const cache = new CompletionCache({ prefixChars: 2 });
    cache.store(DOC, 'zzab', '', 'xabyz');
    // In "zzabxaby" the old tail "ab" ends twice: before "y" (not the suggestion's start) and before "xaby".
    assert.equal(cache.lookup(DOC, 'zzabxaby', ''), 'z');
  });

  it('drops the least recently used entry past its bound; a lookup counts as use', () => {
    const cache = new CompletionCache({ maxEntries: 2 });
    cache.store(DOC, 'one', '', '1');
    cache.store(DOC, 'two', '', '2');
    assert.equal(cache.lookup(DOC, 'one', ''), '1');
    cache.store(DOC, 'three', '', '3');
    assert.equal(cache.size, 2);
    assert.equal(cache.lookup(DOC, 'two', ''), undefined);
    assert.equal(cache.lookup(DOC, 'one', ''), '1');
    assert.equal(cache.lookup(DOC, 'three', ''), '3');
  });

  it('storing the same place again replaces the suggestion', () => {
    const cache = new CompletionCache();
    cache.store(DOC, 'p', 's', 'old');
    cache.store(DOC, 'p', 's', 'new');
    assert.equal(cache.size, 1);
    assert.equal(cache.lookup(DOC, 'p', 's'), 'new');
  });

  it('clear(docKey) forgets one document; clear() all', () => {
    const cache = new CompletionCache();
    cache.store(DOC, 'p', '', '1');
    cache.store('other', 'p', '', '2');
    cache.clear(DOC);
    assert.equal(cache.lookup(DOC, 'p', ''), undefined);
    assert.equal(cache.lookup('other', 'p', ''), '2');
    cache.clear();
    assert.equal(cache.size, 0);
  });
});
