// The catalogue as VS Code's model picker wants it. No vscode import: the shape is structural,
// so it is unit-tested in plain Node.
import type { ModelInfo } from '../llm/catalogue';
import { capabilitiesFor, familyOf } from '../llm/modelCapabilities';
import { limitsFor } from '../llm/modelLimits';

/** Structurally vscode.LanguageModelChatInformation. */
export interface ChatModelInformation {
  readonly id: string;
  readonly name: string;
  readonly family: string;
  readonly version: string;
  readonly tooltip?: string;
  readonly detail?: string;
  readonly maxInputTokens: number;
  readonly maxOutputTokens: number;
  readonly capabilities: { readonly toolCalling?: boolean; readonly imageInput?: boolean };
}

export function toChatModelInformation(model: ModelInfo): ChatModelInformation {
  const limits = limitsFor(model.id);
  const capabilities = capabilitiesFor(model.id);
  const notes = [model.note, capabilities.toolCalling ? undefined : 'no tool calling (agent mode cannot use it)'].filter(Boolean);
  return {
    id: model.id,
    name: model.label,
    family: familyOf(model.id),
    version: model.id,
    detail: 'ModelsLab',
    tooltip: [`${model.label} (${model.id}) on ModelsLab`, ...notes].join(' · '),
    // The window holds the prompt and the answer: what is left after the answer's share.
    maxInputTokens: Math.max(1, limits.contextTokens - limits.maxOutputTokens),
    maxOutputTokens: limits.maxOutputTokens,
    capabilities,
  };
}
