import * as vscode from 'vscode';

/** The test framework the workspace already uses, if it can tell from its manifests. */
export async function detectTestFramework(languageId: string): Promise<string | undefined> {
  const read = async (glob: string): Promise<string | undefined> => {
    const [uri] = await vscode.workspace.findFiles(glob, '**/node_modules/**', 1);
    if (!uri) return undefined;
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  };
  if (/^(typescript|javascript)(react)?$/.test(languageId)) {
    const manifest = await read('package.json');
    if (!manifest) return undefined;
    for (const [dependency, name] of [['vitest', 'Vitest'], ['jest', 'Jest'], ['mocha', 'Mocha'], ['ava', 'AVA'], ['jasmine', 'Jasmine'], ['@playwright/test', 'Playwright Test']]) {
      if (manifest.includes(`"${dependency}"`)) return name;
    }
    return /"node --test/.test(manifest) ? 'the node:test runner' : undefined;
  }
  if (languageId === 'python') {
    const config = (await read('{pyproject.toml,setup.cfg,requirements*.txt,pytest.ini,tox.ini}')) ?? '';
    return /pytest/.test(config) ? 'pytest' : 'unittest';
  }
  const byLanguage: Record<string, string> = { go: 'the standard testing package', rust: 'Rust’s built-in #[test]', java: 'JUnit 5', csharp: 'xUnit', ruby: 'RSpec' };
  return byLanguage[languageId];
}
