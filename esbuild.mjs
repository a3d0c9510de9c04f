// Builds the bundles: the extension host (node, cjs), the chat and comparison webviews (browser),
// plus the integration-test suite that runs inside a real VS Code host.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Copies the codicon font next to the webview bundle, so the webview loads it from dist/. */
function copyCodicons() {
  mkdirSync('dist/codicons', { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf']) {
    cpSync(`node_modules/@vscode/codicons/dist/${file}`, `dist/codicons/${file}`);
  }
}

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'info',
  legalComments: 'none',
};

const builds = [
  {
    ...common,
    entryPoints: { extension: 'src/extension.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    // The SDK pulls optional cloud-auth peers only for Azure/Bedrock; we never use them.
    mainFields: ['module', 'main'],
  },
  {
    ...common,
    entryPoints: { webview: 'webview-ui/src/main.ts', compare: 'webview-ui/src/compare/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

if (!production) {
  // The mocha suite for the real VS Code host; never shipped (see .vscodeignore).
  builds.push({
    ...common,
    entryPoints: { 'suite/index': 'test/suite/index.ts' },
    outdir: 'out/test',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
  });
}

copyCodicons();
if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[esbuild] watching…');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
