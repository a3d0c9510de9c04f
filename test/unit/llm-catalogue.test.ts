import * as assert from 'node:assert/strict';
import { BUILT_IN_MODELS, DEFAULT_MODEL, mergeModels, ModelCatalogue, modelLabel, NOT_LISTED, type ModelLister } from '../../src/llm/catalogue';
import { startFakeModelsLab, type FakeModelsLab } from '../fake-server/server';
import { makeClient } from './llm-helpers';

describe('model catalogue', () => {
  let server: FakeModelsLab;
  before(async () => {
    server = await startFakeModelsLab();
  });
  afterEach(() => server.reset());
  after(() => server.close());

  const ids = (models: { id: string }[]) => models.map((m) => m.id);
  const modelsRequests = () => server.requests.filter((r) => r.path.endsWith('/models')).length;

  it('has the documented models, Qwen Coder first and default', () => {
    assert.equal(DEFAULT_MODEL, 'Qwen-Qwen2.5-Coder-32B-Instruct');
    assert.equal(BUILT_IN_MODELS[0]!.id, DEFAULT_MODEL);
    assert.equal(BUILT_IN_MODELS.length, 11);
    assert.ok(BUILT_IN_MODELS.every((m) => m.label && m.label !== m.id));
  });

  it('shows the server\'s models first, then the user\'s IDs and the built-ins it did not list, marked', async () => {
    server.setModels(['server-only-model', DEFAULT_MODEL, 'gemini-2.5-pro']);
    const catalogue = new ModelCatalogue(makeClient(server).client);
    const models = await catalogue.getModels(['my-fine-tune', 'server-only-model', ' ']);
    assert.deepEqual(ids(models).slice(0, 4), ['server-only-model', DEFAULT_MODEL, 'gemini-2.5-pro', 'my-fine-tune']);
    assert.equal(models[1]!.label, 'Qwen2.5 Coder 32B');
    assert.deepEqual(models.slice(0, 3).map((m) => m.note), [undefined, undefined, undefined], 'listed models carry no note');
    assert.equal(models[3]!.note, NOT_LISTED);
    assert.equal(models.length, 3 + 1 + BUILT_IN_MODELS.length - 2);
    assert.ok(models.slice(4).every((m) => m.note === NOT_LISTED), 'built-ins the server did not report are marked');
    assert.equal(new Set(ids(models)).size, models.length);
  });

  it('caches the list: two calls (even concurrent) make one /models request', async () => {
    const catalogue = new ModelCatalogue(makeClient(server).client);
    await Promise.all([catalogue.getModels(), catalogue.getModels()]);
    await catalogue.getModels();
    assert.equal(modelsRequests(), 1);
    catalogue.invalidate();
    await catalogue.getModels();
    assert.equal(modelsRequests(), 2);
  });

  it('falls back to the built-in list when /models is 404, plus user IDs', async () => {
    server.setModels(null);
    const catalogue = new ModelCatalogue(makeClient(server).client);
    const models = await catalogue.getModels(['my-model']);
    assert.deepEqual(ids(models), [...BUILT_IN_MODELS.map((m) => m.id), 'my-model']);
  });

  it('remembers a failure only for a short time', async () => {
    server.setModelsScript({ status: 503 });
    let now = 0;
    const catalogue = new ModelCatalogue(makeClient(server).client, { failureTtlMs: 1_000, now: () => now });
    await catalogue.getModels();
    await catalogue.getModels();
    assert.equal(modelsRequests(), 1);
    server.setModelsScript(null);
    server.setModels(['fresh-model']);
    now = 1_000;
    assert.ok(ids(await catalogue.getModels()).includes('fresh-model'));
    assert.equal(modelsRequests(), 2);
  });

  it('says when the list changed: a list that answers after failing, or another one after invalidate()', async () => {
    server.setModelsScript({ status: 503 });
    let now = 0;
    let changes = 0;
    const catalogue = new ModelCatalogue(makeClient(server).client, { failureTtlMs: 1_000, now: () => now, onChange: () => changes++ });
    await catalogue.getModels();
    assert.equal(changes, 0, 'the first list is no change');
    server.setModelsScript(null);
    server.setModels(['fresh-model']);
    now = 1_000;
    await catalogue.getModels();
    assert.equal(changes, 1, 'the live list replaced the built-in one');
    catalogue.invalidate();
    await catalogue.getModels();
    assert.equal(changes, 1, 'the same list again is no change');
    server.setModels(['fresh-model', 'another-model']);
    catalogue.invalidate();
    await catalogue.getModels();
    assert.equal(changes, 2);
  });

  it('takes a getter for the client; no client (no key) means the built-in list', async () => {
    let lister: ModelLister | undefined = undefined;
    const catalogue = new ModelCatalogue(() => lister);
    assert.deepEqual(ids(await catalogue.getModels()), BUILT_IN_MODELS.map((m) => m.id));
    lister = { listModels: async () => ['late-model'] };
    assert.ok(ids(await catalogue.getModels()).includes('late-model'));
  });

  it('a client without a key gives the built-in list and caches nothing', async () => {
    let calls = 0;
    const keyless: ModelLister = {
      listModels: async () => {
        calls++;
        throw Object.assign(new Error('No key'), { kind: 'no_key' });
      },
    };
    const catalogue = new ModelCatalogue(keyless);
    assert.equal((await catalogue.getModels()).length, BUILT_IN_MODELS.length);
    await catalogue.getModels();
    assert.equal(calls, 2);
  });

  it('shows both id styles of one model (org/name and org-name) once, in the built-in spelling', () => {
    const models = mergeModels(['Qwen-Qwen2.5-VL-72B-Instruct-together', 'Qwen/Qwen2.5-Coder-32B-Instruct'], []);
    assert.deepEqual(ids(models).slice(0, 2), ['Qwen/Qwen2.5-VL-72B-Instruct-together', DEFAULT_MODEL]);
    assert.deepEqual(new Set(ids(models)), new Set(BUILT_IN_MODELS.map((m) => m.id)));
    assert.equal(models.find((m) => m.id === 'Qwen/Qwen2.5-VL-72B-Instruct-together')?.label, 'Qwen2.5 VL 72B');
  });

  it('a user id wins over the server spelling of the same model, and both spellings get the same label', () => {
    assert.deepEqual(ids(mergeModels(['acme/my-model'], ['acme-my-model'])).slice(0, 1), ['acme-my-model']);
    assert.equal(modelLabel('Qwen-Qwen2.5-VL-72B-Instruct-together'), 'Qwen2.5 VL 72B');
    assert.equal(modelLabel('Qwen/Qwen2.5-Coder-32B-Instruct'), 'Qwen2.5 Coder 32B');
  });

  it('without a live list: the built-ins, then the user\'s IDs, nothing marked', () => {
    const models = mergeModels([], ['u', DEFAULT_MODEL]);
    assert.deepEqual(ids(models), [...BUILT_IN_MODELS.map((m) => m.id), 'u']);
    assert.ok(models.every((m) => m.note === undefined));
  });
});
