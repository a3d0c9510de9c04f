// The everyday conveniences in the real workbench: the project rules chip, "/" completion and a
// custom prompt file run from the panel, and the Source Control view's commit message button.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useChatWorkbench } from './chatPanel';

const AGENTS = '# Team rules\n\nAlways answer in British English and prefer early returns.\n';
const TS_RULE = '---\napplyTo: "**/*.ts"\n---\nUse `readonly` arrays in TypeScript signatures.\n';
const PY_RULE = '---\napplyTo: "**/*.py"\n---\nFollow PEP 8.\n';
const REVIEW = '---\ndescription: Review the selection for bugs\nmodel: deepseek-ai-DeepSeek-V3\n---\nReview this code from ${file} for bugs, focusing on ${input:focus:what to look for}:\n\n${selection}\n';

function prepare(folder: string): void {
  writeFileSync(join(folder, 'AGENTS.md'), AGENTS);
  mkdirSync(join(folder, '.modelslab', 'rules'), { recursive: true });
  writeFileSync(join(folder, '.modelslab', 'rules', 'typescript.md'), TS_RULE);
  writeFileSync(join(folder, '.modelslab', 'rules', 'python.md'), PY_RULE);
  mkdirSync(join(folder, '.modelslab', 'prompts'), { recursive: true });
  writeFileSync(join(folder, '.modelslab', 'prompts', 'review.prompt.md'), REVIEW);
  // A repository with a history in the Conventional Commits style and one staged change.
  const git = (...args: string[]) => execFileSync('git', args, { cwd: folder, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'E2E');
  git('config', 'user.email', 'e2e@example.com');
  git('add', 'math.ts', 'greet.py', 'package.json');
  git('commit', '-q', '-m', 'feat: add math helpers');
  writeFileSync(join(folder, 'math.ts'), `${execFileSync('git', ['show', 'HEAD:math.ts'], { cwd: folder }).toString()}\nexport const TAU = Math.PI * 2;\n`);
  git('add', 'math.ts');
}

describe('Everyday workflow (e2e): rules, slash commands and prompt files, commit messages', () => {
  const suite = useChatWorkbench({ prepareWorkspace: prepare });
  const chats = () => suite.workbench.server.requests.filter((r) => r.path.endsWith('/chat/completions'));

  it('the rules chip names the rules that apply to the active file, and the request follows them', async () => {
    const { workbench, chat } = suite;
    await workbench.openFile('math.ts');
    const chip = chat.frame.locator('.ml-rules');
    await chip.locator('.ml-chip-label', { hasText: 'Rules: AGENTS.md, typescript.md' }).waitFor({ timeout: 30_000 });
    await chip.locator('summary').click();
    assert.deepEqual(await chip.locator('.ml-rule-note').allTextContents(), ['always', 'not for this file (**/*.py)', 'applies: **/*.ts']);
    await workbench.fontsReady(chat.frame);
    await workbench.screenshot('rules-chip');
    await workbench.readmeScreenshot('rules-chip-dark', 352);
    workbench.server.enqueue({ text: 'Noted.' });
    await chat.send('Hello');
    await chat.waitForAnswerEnd();
    const system = chats().at(-1)?.body.messages[0].content as string;
    assert.match(system, /British English/);
    assert.match(system, /readonly` arrays/);
    assert.doesNotMatch(system, /PEP 8/, 'the Python rule does not apply to math.ts');
    await chip.locator('summary').click();
  });

  it('typing "/" lists the commands and the prompt file; /review runs it with its variables and its model', async () => {
    const { workbench, chat } = suite;
    const page = workbench.page;
    await workbench.openFile('math.ts');
    await workbench.selectLines(9, 13);
    await chat.composer.focus();
    await page.keyboard.type('/');
    const menu = chat.frame.locator('[role="listbox"][aria-label="Slash commands"]');
    await menu.waitFor();
    const names = await menu.locator('[role="option"]').allTextContents();
    for (const name of ['/explain', '/fix', '/doc', '/tests', '/new', '/compare', '/review']) assert.ok(names.some((n) => n.includes(name)), `${name} in ${JSON.stringify(names)}`);
    await page.keyboard.type('rev');
    await workbench.fontsReady(chat.frame);
    await workbench.screenshot('slash-menu');
    await workbench.readmeScreenshot('slash-menu-dark', 352);
    await page.keyboard.press('Enter');
    assert.equal(await chat.composer.inputValue(), '/review ');
    workbench.server.enqueue({ text: 'No bugs found in clamp.' });
    const before = chats().length;
    await page.keyboard.press('Enter');
    // ${input:focus} is asked in VS Code's input box.
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill('off-by-one errors');
    await page.keyboard.press('Enter');
    await chat.waitForAnswerEnd();
    const request = chats()[before];
    assert.equal(request.body.model, 'deepseek-ai-DeepSeek-V3', 'the prompt file’s model');
    const prompt = request.body.messages.at(-1).content as string;
    assert.match(prompt, /Review this code from math\.ts for bugs, focusing on off-by-one errors:/);
    assert.match(prompt, /if \(value < min\) return min;/, 'the selection was filled in');
  });

  it('the Source Control view’s sparkle writes a commit message from the staged change, in the repository’s style', async () => {
    const { workbench } = suite;
    const page = workbench.page;
    workbench.server.enqueue({ text: '```\nfeat: add the TAU constant\n```' });
    // The activity bar's badge (pending changes) covers its icon: open the view from the palette.
    await page.locator('.monaco-workbench').click({ position: { x: 800, y: 400 } });
    await page.keyboard.press('Control+Shift+G');
    const button = page.locator('.part.sidebar .actions a.action-label[aria-label^="Generate Commit Message"]').first();
    await button.waitFor({ timeout: 30_000 });
    const before = chats().length;
    await button.click();
    await page.locator('.scm-editor .view-lines', { hasText: 'feat: add the TAU constant' }).first().waitFor({ timeout: 30_000 });
    const prompt = JSON.stringify(chats()[before].body.messages);
    assert.match(prompt, /TAU = Math\.PI \* 2/, 'the staged change');
    assert.match(prompt, /feat: add math helpers/, 'the last subjects, for the style');
    await workbench.fontsReady();
    await workbench.screenshot('commit-message');
    await workbench.readmeScreenshot('commit-message-dark', 640);
  });
});
