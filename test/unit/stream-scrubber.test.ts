// The key never reaches an answer's text, even when a server echoes it split across chunks.
import * as assert from 'node:assert/strict';
import { StreamScrubber } from '../../src/llm/streamScrubber';
import { startFakeModelsLab } from '../fake-server/server';
import { chat, KEY, makeClient } from './llm-helpers';

describe('StreamScrubber', () => {
  it('redacts a key split across any two chunks, and holds back only what could still become it', () => {
    const key = 'sk-live-0123456789abcdef';
    const text = `Your header is Bearer ${key}, keep it safe. ${key}`;
    for (let cut = 1; cut < text.length; cut++) {
      const scrubber = new StreamScrubber([key]);
      const out = scrubber.push(text.slice(0, cut)) + scrubber.push(text.slice(cut)) + scrubber.flush();
      assert.equal(out, 'Your header is Bearer [redacted], keep it safe. [redacted]', `cut at ${cut}`);
    }
    const scrubber = new StreamScrubber([key]);
    assert.equal(scrubber.push('plain text with no key'), 'plain text with no key', 'nothing is held without a possible key start');
    assert.equal(scrubber.push(' sk-li'), ' ', 'a possible start of the key waits');
    assert.equal(scrubber.push('ving room'), 'sk-living room');
  });

  it('leaves "Bearer" code alone: only the key itself is redacted in answers', () => {
    const scrubber = new StreamScrubber(['sk-live-0123456789abcdef']);
    const code = 'headers: { Authorization: `Bearer ${apiKey}` }';
    assert.equal(scrubber.push(code) + scrubber.flush(), code);
  });

  it('through the client: a server that echoes the key in its answer never gets it to the caller', async () => {
    const server = await startFakeModelsLab();
    try {
      // Two-character chunks split the key across many chunks.
      server.enqueue({ text: `The request used Bearer ${KEY} as its header.`, chunkSize: 2 });
      const { text, error } = await chat(makeClient(server).client);
      assert.equal(error, undefined);
      assert.equal(text, 'The request used Bearer [redacted] as its header.');
      assert.ok(!text.includes(KEY));
    } finally {
      await server.close();
    }
  });
});
