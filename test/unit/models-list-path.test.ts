// ModelsLab documents GET {base}/v1/models; the OpenAI SDK's path is {base}/models. Try both.
import * as assert from 'node:assert/strict';
import { BUILT_IN_MODELS, ModelCatalogue } from '../../src/llm/catalogue';
import { startFakeModelsLab, type FakeModelsLab } from '../fake-server/server';
import { KEY, makeClient } from './llm-helpers';

describe('the model list path', () => {
  let server: FakeModelsLab;
  before(async () => {
    server = await startFakeModelsLab();
  });
  afterEach(() => server.reset());
  after(() => server.close());

  const paths = () => server.requests.map((r) => r.path);

  it('when /models is 404, reads /v1/models, sending the key as x-api-key too', async () => {
    server.setModels(['server-model']);
    server.setModelsPaths(['/v1/models']);
    const { client } = makeClient(server);
    assert.deepEqual(await client.listModels(), ['server-model']);
    assert.deepEqual(paths(), ['/api/v7/llm/models', '/api/v7/llm/v1/models']);
    assert.equal(server.requests[1]!.headers['x-api-key'], KEY);
  });

  it('the catalogue offers what /v1/models lists', async () => {
    server.setModels(['server-model']);
    server.setModelsPaths(['/v1/models']);
    const models = await new ModelCatalogue(makeClient(server).client).getModels();
    assert.deepEqual([models[0]?.id, models[0]?.note], ['server-model', undefined], 'listed first, unmarked');
  });

  it('/models answering means one request, and a non-404 failure is not retried at /v1/models', async () => {
    const { client } = makeClient(server);
    await client.listModels();
    assert.deepEqual(paths(), ['/api/v7/llm/models']);
    server.reset();
    server.setModelsScript({ status: 401 });
    await assert.rejects(client.listModels(), { kind: 'auth', status: 401 });
    assert.deepEqual(paths(), ['/api/v7/llm/models']);
  });

  it('404 on both paths: a bad_request 404, and the catalogue falls back to the built-in list', async () => {
    server.setModelsPaths([]);
    const { client } = makeClient(server);
    await assert.rejects(client.listModels(), { kind: 'bad_request', status: 404 });
    assert.deepEqual(paths(), ['/api/v7/llm/models', '/api/v7/llm/v1/models']);
    const models = await new ModelCatalogue(client).getModels();
    assert.deepEqual(models.map((m) => m.id), BUILT_IN_MODELS.map((m) => m.id));
  });
});
