import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** Files that run without VS Code: unit-tested in plain Node, or shared with the webview. */
const VSCODE_FREE = [
  'src/shared/**',
  'src/llm/**',
  'src/agent/**',
  'src/prompts/**',
  'src/review/**',
  'src/history/**',
  'src/completion/**',
  'src/rules/**',
  'src/scm/diffBudget.ts',
  'src/scm/repositoryChanges.ts',
  'src/scm/commitBox.ts',
  'src/chat/chatSession.ts',
  'src/chat/answerPresenter.ts',
  'src/chat/deltaBatcher.ts',
  'src/platform/errorMessages.ts',
  'src/testApi.ts',
  'webview-ui/**',
];

/** Inside those folders, the adapters that do talk to VS Code. */
const VSCODE_HOSTS = [
  'src/completion/inlineProvider.ts',
  'src/completion/completionStatus.ts',
  'src/completion/editorContext.ts',
  'src/rules/projectRules.ts',
  'src/rules/rulesInEffect.ts',
];

const noVscode = { name: 'vscode', message: 'This layer runs without VS Code: do not import vscode here.' };
/** Feature folders never import each other: what two of them share moves down a layer. */
const surfaceBans = {
  'src/chat/**': { group: ['**/editor/*'], message: 'src/chat must not import src/editor: move what both need below them (prompts/, workspace/, platform/).' },
  'src/editor/**': { group: ['**/chat/*'], message: 'src/editor must not import src/chat: move what both need below them (prompts/, workspace/, platform/).' },
};

/** One no-restricted-imports entry per file group (flat config would let a later one replace an earlier). */
function importRules(files, { vscodeFree, surface, ignores }) {
  return {
    files,
    ...(ignores ? { ignores } : {}),
    rules: {
      'no-restricted-imports': ['error', { paths: vscodeFree ? [noVscode] : [], patterns: surface ? [surface] : [] }],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', '.vscode-test/**', 'node_modules/**', 'test-results/**', '*.vsix', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
      'no-restricted-syntax': ['error', {
        selector: "CallExpression[callee.property.name=/^only$/][callee.object.name=/^(it|describe|suite|test)$/]",
        message: 'Remove .only: it narrows the test run.',
      }],
    },
  },
  {
    // Type-aware rules: a promise nobody awaits or handles is a lost error.
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, properties: false } }],
    },
  },
  importRules(['src/chat/**'], { surface: surfaceBans['src/chat/**'] }),
  importRules(['src/editor/**'], { surface: surfaceBans['src/editor/**'] }),
  importRules(VSCODE_FREE, { vscodeFree: true, ignores: VSCODE_HOSTS }),
  importRules(['src/chat/chatSession.ts', 'src/chat/answerPresenter.ts', 'src/chat/deltaBatcher.ts'], { vscodeFree: true, surface: surfaceBans['src/chat/**'] }),
  {
    files: ['webview-ui/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
