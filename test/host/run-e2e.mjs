// Runs the end-to-end tier: Playwright drives the real workbench and the real webview.
import { spawnSync } from 'node:child_process';
import { ensureCodeServer, repoRoot } from './codeServer.mjs';

ensureCodeServer();
const files = process.argv.slice(2);
const args = ['mocha', '--config', 'test/e2e/.mocharc.json', ...(files.length ? files : ['test/e2e/**/*.e2e.ts'])];
const result = spawnSync('npx', args, { cwd: repoRoot, stdio: 'inherit' });
process.exit(result.status ?? 1);
