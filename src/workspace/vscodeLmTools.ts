// The tools VS Code already knows (other extensions', the user's MCP servers'), offered to the
// agent when `modelslab.agent.useVsCodeTools` is on. VS Code runs them (vscode.lm.invokeTool),
// with its own confirmations; their output reaches the model as data, like ours.
import * as vscode from 'vscode';
import type { AgentTool, ToolOutcome } from '../agent/agentTool';

/** Output beyond this is cut, and the cut is stated. */
const MAX_RESULT_CHARS = 40_000;

export function vscodeLmTools(taken: ReadonlySet<string>): AgentTool[] {
  // OpenAI tool names: letters, digits, _ and -, at most 64.
  return vscode.lm.tools
    .filter((tool) => !taken.has(tool.name) && /^[\w-]{1,64}$/.test(tool.name))
    .map((tool) => ({
      readOnly: false,
      spec: { name: tool.name, description: tool.description, parameters: (tool.inputSchema as Record<string, unknown> | undefined) ?? { type: 'object', properties: {} } },
      run: (args, signal) => invoke(tool.name, args, signal),
    }));
}

async function invoke(name: string, input: Record<string, unknown>, signal: AbortSignal): Promise<ToolOutcome> {
  const source = new vscode.CancellationTokenSource();
  const cancel = () => source.cancel();
  signal.addEventListener('abort', cancel, { once: true });
  try {
    const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, source.token);
    let text = result.content
      .map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : part instanceof vscode.LanguageModelPromptTsxPart ? JSON.stringify(part.value) : ''))
      .join('\n');
    if (text.length > MAX_RESULT_CHARS) text = `${text.slice(0, MAX_RESULT_CHARS)}\n[The result was cut at ${MAX_RESULT_CHARS.toLocaleString()} characters.]`;
    return { content: text || '(no output)', summary: `Ran ${name}` };
  } catch (err) {
    return { content: `${name} failed: ${err instanceof Error ? err.message : String(err)}`, isError: true, summary: `${name} failed` };
  } finally {
    signal.removeEventListener('abort', cancel);
    source.dispose();
  }
}
