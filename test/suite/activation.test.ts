import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activatedExtension } from './extensionUnderTest';

interface ContributedCommand {
  command: string;
  category?: string;
}

describe('Activation', () => {
  // onStartupFinished, after the window is up, is the one eager event: VS Code's chat lists a
  // provider's models only once the provider has run, so without it ModelsLab's models are
  // missing from its picker and a first @modelslab request fails ("Language model unavailable").
  it('never activates during startup: no *, and onStartupFinished is the only eager event', async () => {
    const extension = await activatedExtension();
    const manifest = extension.packageJSON as { activationEvents?: string[] };
    const eager = (manifest.activationEvents ?? []).filter((event) => !/^on(?:View|Command|ChatParticipant|LanguageModelChatProvider):/.test(event));
    assert.deepEqual(eager, ['onStartupFinished']);
  });

  it('activates in the real host', async () => {
    const extension = await activatedExtension();
    assert.equal(extension.isActive, true);
  });

  it('registers every contributed command, each under modelslab. with category ModelsLab', async () => {
    const extension = await activatedExtension();
    const contributed = (extension.packageJSON as { contributes: { commands: ContributedCommand[] } }).contributes.commands;
    assert.ok(contributed.length > 0, 'the manifest contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const { command, category } of contributed) {
      assert.match(command, /^modelslab\./);
      assert.equal(category, 'ModelsLab', `${command} has category ${category}`);
      assert.ok(registered.has(command), `${command} is contributed but not registered`);
    }
  });

  it('opens the chat view through its command', async () => {
    await activatedExtension();
    await vscode.commands.executeCommand('modelslab.openChat');
    // The view's own focus command exists once the view container is registered.
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('modelslab.chatView.focus'));
  });
});
