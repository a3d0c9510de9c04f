// Runs the end-to-end tier: Playwright drives the real workbench and the real webview.
import { spawn } from 'node:child_process';
import { ensureCodeServer, repoRoot } from './codeServer.mjs';

ensureCodeServer();
const files = process.argv.slice(2);
const args = ['mocha', '--config', 'test/e2e/.mocharc.json', ...(files.length ? files : ['test/e2e/**/*.e2e.ts'])];
const child = spawn('npx', args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
let output = '';
child.stdout.on('data', (chunk) => {
  output += chunk.toString();
  process.stdout.write(chunk);
});
child.on('exit', (code) => {
  // One plain closing line, so a reader (or CI) sees at a glance that tests ran.
  // eslint-disable-next-line no-control-regex -- strips the reporter's colour codes
  const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
  const passed = Number(/(\d+) passing/.exec(plain)?.[1] ?? 0);
  const failed = Number(/(\d+) failing/.exec(plain)?.[1] ?? 0);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exit(code === 0 && passed > 0 ? 0 : 1);
});
