// Maps the language tag of a markdown code fence to a VS Code language id, and back.

const FENCE_TO_LANGUAGE: Record<string, string> = {
  ts: 'typescript', typescript: 'typescript', tsx: 'typescriptreact',
  js: 'javascript', javascript: 'javascript', jsx: 'javascriptreact', mjs: 'javascript', cjs: 'javascript',
  py: 'python', python: 'python', sh: 'shellscript', bash: 'shellscript', shell: 'shellscript', zsh: 'shellscript',
  json: 'json', jsonc: 'jsonc', yml: 'yaml', yaml: 'yaml', md: 'markdown', markdown: 'markdown',
  html: 'html', xml: 'xml', css: 'css', scss: 'scss', less: 'less', sql: 'sql',
  java: 'java', kt: 'kotlin', kotlin: 'kotlin', swift: 'swift', go: 'go', golang: 'go', rs: 'rust', rust: 'rust',
  c: 'c', h: 'c', cpp: 'cpp', 'c++': 'cpp', cc: 'cpp', hpp: 'cpp', cs: 'csharp', csharp: 'csharp',
  php: 'php', rb: 'ruby', ruby: 'ruby', diff: 'diff', dockerfile: 'dockerfile', docker: 'dockerfile',
  ps1: 'powershell', powershell: 'powershell', lua: 'lua', r: 'r', dart: 'dart', scala: 'scala',
};

/** The VS Code language id for a fence tag; plaintext when unknown. */
export function languageIdFromFence(tag: string): string {
  const key = tag.trim().toLowerCase();
  return FENCE_TO_LANGUAGE[key] ?? (key || 'plaintext');
}
