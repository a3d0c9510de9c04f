// VS Code's language-model messages and tools in our request shape. Nothing is dropped: tool
// calls, tool results and images all have a place in the OpenAI wire format.
import * as vscode from 'vscode';
import type { ContentPart, RequestMessage, ToolSpec } from '../llm/request';

export function toRequestMessages(messages: readonly vscode.LanguageModelChatRequestMessage[]): RequestMessage[] {
  return messages.map((message) => ({ role: roleOf(message.role), parts: message.content.flatMap(toParts) }));
}

function roleOf(role: vscode.LanguageModelChatMessageRole): RequestMessage['role'] {
  if (role === vscode.LanguageModelChatMessageRole.Assistant) return 'assistant';
  // 3 is System in the proposed API (and newer VS Code); anything else is the user's.
  if ((role as number) === 3) return 'system';
  return 'user';
}

function toParts(part: unknown): ContentPart[] {
  if (part instanceof vscode.LanguageModelTextPart) return [{ type: 'text', text: part.value }];
  if (part instanceof vscode.LanguageModelToolCallPart) {
    return [{ type: 'toolCall', call: { id: part.callId, name: part.name, arguments: JSON.stringify(part.input ?? {}) } }];
  }
  if (part instanceof vscode.LanguageModelToolResultPart) return [{ type: 'toolResult', callId: part.callId, content: toolResultText(part.content) }];
  const data = asDataPart(part);
  if (data?.mimeType.startsWith('image/')) return [{ type: 'image', mimeType: data.mimeType, data: Buffer.from(data.data).toString('base64') }];
  if (data && /^(?:text\/|application\/json)/.test(data.mimeType)) return [{ type: 'text', text: Buffer.from(data.data).toString('utf8') }];
  // Anything else (e.g. a cache-control marker) carries nothing for the model.
  return [];
}

/** A tool's result parts as the text the model reads. */
function toolResultText(content: readonly unknown[]): string {
  const texts: string[] = [];
  for (const item of content) {
    if (item instanceof vscode.LanguageModelTextPart) texts.push(item.value);
    else if (item instanceof vscode.LanguageModelPromptTsxPart) texts.push(JSON.stringify(item.value));
    else {
      const data = asDataPart(item);
      if (data && !data.mimeType.startsWith('image/')) texts.push(Buffer.from(data.data).toString('utf8'));
      else if (data) texts.push(`[image ${data.mimeType} returned by the tool]`);
      else if (typeof item === 'string') texts.push(item);
    }
  }
  return texts.join('\n');
}

/** LanguageModelDataPart (finalised after our 1.104 floor): duck-typed, so older hosts still load us. */
function asDataPart(part: unknown): { mimeType: string; data: Uint8Array } | undefined {
  const candidate = part as { mimeType?: unknown; data?: unknown } | null;
  if (candidate && typeof candidate.mimeType === 'string' && candidate.data instanceof Uint8Array) return { mimeType: candidate.mimeType, data: candidate.data };
  return undefined;
}

export function toToolSpecs(tools: readonly vscode.LanguageModelChatTool[] | undefined): ToolSpec[] | undefined {
  if (!tools?.length) return undefined;
  return tools.map((tool) => ({
    name: tool.name,
    description: tool.description,
    // The OpenAI format wants an object schema even for a tool without arguments.
    parameters: (tool.inputSchema as Record<string, unknown> | undefined) ?? { type: 'object', properties: {} },
  }));
}
