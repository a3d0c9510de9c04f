import * as assert from 'node:assert/strict';
import { Workbench } from './workbench';

describe('Chat view (e2e)', () => {
  let workbench: Workbench;
  before(async () => {
    workbench = await Workbench.open();
  });
  after(async () => {
    await workbench?.close();
  });

  it('opens from the activity bar and greets through the typed protocol', async () => {
    const frame = await workbench.openChat();
    await frame.waitForFunction(() => document.getElementById('greeting')?.textContent?.includes('Hello from ModelsLab'));
    const text = await frame.textContent('#greeting');
    assert.equal(text, 'Hello from ModelsLab Coder.');
    await workbench.screenshot('chat-hello');
  });
});
