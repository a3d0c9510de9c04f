import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activatedExtension } from './extensionUnderTest';

interface ContributedCommand {
  command: string;
  category?: string;
}

describe('Activation', () => {
  it('is lazy: contributes views and commands, no * or startup events', async () => {
    const extension = await activatedExtension();
    const manifest = extension.packageJSON as { activationEvents?: string[] };
    for (const event of manifest.activationEvents ?? []) {
      assert.notEqual(event, '*');
      assert.notEqual(event, 'onStartupFinished');
    }
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
