import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ChatViewProvider } from '../../src/chat/chatViewProvider';
import { extensionApi, waitFor } from './harness';

const VIEW_ID = 'modelslab.chatView';
const HOME = 'workbench.view.extension.modelslab';

/** The extension's chat view provider; extension.ts exposes it on its API as `chatView`. */
async function chatViewProvider(): Promise<ChatViewProvider> {
  const api = (await extensionApi()) as unknown as { chatView?: ChatViewProvider };
  assert.ok(api.chatView, 'activate() must return the ChatViewProvider as `chatView` on its API');
  return api.chatView;
}

describe('Chat view lifecycle in the real host', () => {
  after(async () => {
    await vscode.commands.executeCommand('vscode.moveViews', { viewIds: [VIEW_ID], destinationId: HOME });
  });

  // Moving a view disposes its pane and resolves a new one: the real "closed and reopened".
  it('a view resolved again holds no more listeners than the first one', async () => {
    const chatView = await chatViewProvider();
    await vscode.commands.executeCommand('modelslab.openChat');
    await waitFor(() => chatView.isResolved, 'the chat view to resolve');
    const live = chatView.liveSubscriptions;
    assert.ok(live > 0, 'a resolved view has listeners');

    // Listeners still held at each moment a view is disposed: none should outlive it.
    const heldAtDisposal: number[] = [];
    const watch = chatView.onDidChangeVisibility((visible) => {
      if (!visible && !chatView.isResolved) heldAtDisposal.push(chatView.liveSubscriptions);
    });
    try {
      for (const [round, destination] of ['workbench.view.explorer', HOME, 'workbench.view.explorer'].entries()) {
        await vscode.commands.executeCommand('vscode.moveViews', { viewIds: [VIEW_ID], destinationId: destination });
        await waitFor(() => heldAtDisposal.length === round + 1, `the old chat view to be disposed (move ${round + 1})`);
        await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
        await waitFor(() => chatView.isResolved, `the chat view to resolve again (move ${round + 1})`);
        assert.equal(chatView.liveSubscriptions, live, `listeners after move ${round + 1}`);
      }
      assert.deepEqual(heldAtDisposal, [0, 0, 0], 'a disposed view releases its listeners');
    } finally {
      watch.dispose();
    }
  });
});
