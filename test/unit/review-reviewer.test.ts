import * as assert from 'node:assert/strict';
import { BUILT_IN_MODELS, NOT_LISTED } from '../../src/llm/catalogue';
import { familyOf } from '../../src/llm/modelCapabilities';
import { pickReviewer } from '../../src/review/reviewerModel';

const CATALOGUE = BUILT_IN_MODELS.map((m) => ({ id: m.id }));

describe('reviewer model', () => {
  it('uses the setting when it is set, whatever its family', () => {
    assert.deepEqual(pickReviewer({ setting: ' Qwen-Qwen2.5-72B-Instruct-Turbo ', authorModel: 'Qwen-Qwen2.5-Coder-32B-Instruct', models: CATALOGUE }), { model: 'Qwen-Qwen2.5-72B-Instruct-Turbo', reason: 'setting' });
  });

  it('a blank setting picks a strong model of another family', () => {
    assert.deepEqual(pickReviewer({ setting: '  ', authorModel: 'Qwen-Qwen2.5-Coder-32B-Instruct', models: CATALOGUE }), { model: 'deepseek-ai-DeepSeek-V3', reason: 'otherFamily' });
  });

  it('never picks the author’s family while another family is offered', () => {
    for (const author of CATALOGUE) {
      const choice = pickReviewer({ authorModel: author.id, models: CATALOGUE });
      assert.ok(choice, `a reviewer for ${author.id}`);
      assert.notEqual(familyOf(choice.model), familyOf(author.id), `${choice.model} reviews ${author.id}`);
      assert.equal(choice.reason, 'otherFamily');
    }
  });

  it('DeepSeek’s change goes to the next strong family; the other id style of the author is still the author', () => {
    assert.equal(pickReviewer({ authorModel: 'deepseek-ai-DeepSeek-V3', models: CATALOGUE })?.model, 'gemini-2.5-pro');
    const models = [{ id: 'Qwen-Qwen2.5-VL-72B-Instruct-together' }, { id: 'meta-llama-3-8B-instruct' }];
    assert.equal(pickReviewer({ authorModel: 'Qwen/Qwen2.5-VL-72B-Instruct-together', models })?.model, 'meta-llama-3-8B-instruct');
  });

  it('prefers a model the server lists over a stronger one it does not', () => {
    const models = [{ id: 'deepseek-ai-DeepSeek-V3', note: NOT_LISTED }, { id: 'mistralai-Mixtral-8x7B-Instruct-v0.1' }, { id: 'meta-llama-Llama-3.3-70B-Instruct-Turbo' }];
    assert.equal(pickReviewer({ authorModel: 'Qwen-Qwen2.5-Coder-32B-Instruct', models })?.model, 'meta-llama-Llama-3.3-70B-Instruct-Turbo');
  });

  it('weak models come last, then unknown ones before them in catalogue order', () => {
    const models = [{ id: 'deepseek-ai-DeepSeek-R1-Distill-Llama-70B' }, { id: 'acme-coder-7b' }, { id: 'meta-llama-3-8B-instruct' }];
    assert.equal(pickReviewer({ authorModel: 'Qwen-Qwen2.5-Coder-32B-Instruct', models })?.model, 'acme-coder-7b');
    assert.equal(pickReviewer({ authorModel: 'Qwen-Qwen2.5-Coder-32B-Instruct', models: [models[0], models[2]] })?.model, 'deepseek-ai-DeepSeek-R1-Distill-Llama-70B');
  });

  it('falls back to another model of the same family, and to none when only the author is offered', () => {
    const qwens = [{ id: 'Qwen-Qwen2.5-Coder-32B-Instruct' }, { id: 'Qwen-Qwen2.5-72B-Instruct-Turbo' }];
    assert.deepEqual(pickReviewer({ authorModel: 'Qwen-Qwen2.5-Coder-32B-Instruct', models: qwens }), { model: 'Qwen-Qwen2.5-72B-Instruct-Turbo', reason: 'sameFamily' });
    assert.equal(pickReviewer({ authorModel: 'Qwen-Qwen2.5-Coder-32B-Instruct', models: [qwens[0]] }), undefined);
    assert.equal(pickReviewer({ authorModel: 'x', models: [] }), undefined);
  });
});
