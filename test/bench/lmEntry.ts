// Loaded by a VS Code extension host (extensionTestsPath): time to first token through
// vscode.lm (VS Code's chat API, which calls our provider across its own RPC) against our
// panel's path (the AnswerRunner every surface of ours uses), alternating, same server.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ModelsLabTestApi } from '../../src/extension';
import { DEFAULT_MODEL } from '../../src/llm/defaults';

const WARM_UPS = 5;
const RUNS = 30;

export async function run(): Promise<void> {
  const extension = vscode.extensions.getExtension<ModelsLabTestApi>('modelslab.modelslab-coder');
  if (!extension) throw new Error('extension not loaded');
  const api = await extension.activate();
  const [model] = await vscode.lm.selectChatModels({ vendor: 'modelslab', id: DEFAULT_MODEL });
  if (!model) throw new Error('no ModelsLab model in vscode.lm');

  const throughLm = async (): Promise<number> => {
    const started = performance.now();
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('ping')]);
    let first = 0;
    for await (const text of response.text) {
      if (!first && text) first = performance.now() - started;
    }
    return first;
  };
  let answers = 0;
  const throughPanelRunner = async (): Promise<number> => {
    const started = performance.now();
    let first = 0;
    await api.runner.run(`bench-${answers++}`, api.connection.buildRequest([{ role: 'user', content: 'ping' }]), (event) => {
      if (!first && event.type === 'text') first = performance.now() - started;
    });
    return first;
  };

  for (let i = 0; i < WARM_UPS; i++) {
    await throughLm();
    await throughPanelRunner();
  }
  const lm: number[] = [];
  const panel: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    // Alternating, and each pair in a different order, so drift hits both alike.
    if (i % 2 === 0) {
      lm.push(await throughLm());
      panel.push(await throughPanelRunner());
    } else {
      panel.push(await throughPanelRunner());
      lm.push(await throughLm());
    }
  }
  // VS Code's own cost: one round trip from the extension host to the window and back, with
  // no work at either end (setContext runs in the window). A request through vscode.lm makes
  // at least two before its first token: the request in, the first piece out.
  const roundTrip: number[] = [];
  for (let i = 0; i < RUNS + WARM_UPS; i++) {
    const started = performance.now();
    await vscode.commands.executeCommand('setContext', 'modelslab.benchProbe', i);
    if (i >= WARM_UPS) roundTrip.push(performance.now() - started);
  }
  fs.writeFileSync(process.env.MODELSLAB_BENCH_LM_RESULTS as string, JSON.stringify({ lm, panel, roundTrip }));
}
