// "Set API Key" must prove the key. A model list that answers without any key proves nothing.
import * as assert from 'node:assert/strict';
import { startFakeModelsLab, type FakeModelsLab } from '../fake-server/server';
import { KEY, makeClient } from './llm-helpers';

describe('verifyKey proves the key', () => {
  let server: FakeModelsLab;
  before(async () => {
    server = await startFakeModelsLab();
  });
  afterEach(() => server.reset());
  after(() => server.close());

  const paths = () => server.requests.map((r) => r.path);
  const chats = () => server.requests.filter((r) => r.path.endsWith('/chat/completions'));

  it('a wrong key is rejected even when the model list answers without checking keys', async () => {
    server.setModelsNeedKey(false);
    server.setValidKeys(['some-other-key']);
    await assert.rejects(makeClient(server).client.verifyKey(), { kind: 'auth', status: 401 });
    assert.deepEqual(paths(), ['/api/v7/llm/models', '/api/v7/llm/models', '/api/v7/llm/chat/completions']);
    assert.equal(server.requests[1]!.headers.authorization, undefined, 'the probe carries no key');
    assert.equal(chats()[0]!.body.max_tokens, 1);
  });

  it('the right key passes the same check', async () => {
    server.setModelsNeedKey(false);
    server.setValidKeys([KEY]);
    await makeClient(server).client.verifyKey();
    assert.equal(chats().length, 1);
    assert.equal(chats()[0]!.body.max_tokens, 1);
  });

  it('a list that refuses a keyless request proves the key: no chat request', async () => {
    await makeClient(server).client.verifyKey();
    assert.deepEqual(paths(), ['/api/v7/llm/models', '/api/v7/llm/models']);
    assert.equal(server.requests[0]!.headers.authorization, `Bearer ${KEY}`);
    assert.equal(server.requests[1]!.headers.authorization, undefined);
  });

  it('a wrong key the list itself refuses fails at once', async () => {
    server.setValidKeys(['some-other-key']);
    await assert.rejects(makeClient(server).client.verifyKey(), { kind: 'auth' });
    assert.deepEqual(paths(), ['/api/v7/llm/models']);
  });

  it('an open list at /v1/models is probed there, with no key in any header', async () => {
    server.setModelsPaths(['/v1/models']);
    server.setModelsNeedKey(false);
    server.setValidKeys(['some-other-key']);
    await assert.rejects(makeClient(server).client.verifyKey(), { kind: 'auth' });
    assert.deepEqual(paths(), ['/api/v7/llm/models', '/api/v7/llm/v1/models', '/api/v7/llm/v1/models', '/api/v7/llm/chat/completions']);
    const probe = server.requests[2]!;
    assert.equal(probe.headers.authorization, undefined);
    assert.equal(probe.headers['x-api-key'], undefined);
  });

  it('no list on either path: a 1-token chat decides', async () => {
    server.setModelsPaths([]);
    server.setValidKeys(['some-other-key']);
    await assert.rejects(makeClient(server).client.verifyKey(), { kind: 'auth' });
    assert.deepEqual(paths(), ['/api/v7/llm/models', '/api/v7/llm/v1/models', '/api/v7/llm/chat/completions']);
  });
});
