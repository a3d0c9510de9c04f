// Who gives the second opinion. A model reviewing its own change tends to agree with itself,
// so the default reviewer comes from another family (familyOf: qwen, deepseek, llama, gemini,
// mistral…). The choice:
// 1. the `modelslab.review.model` setting, when set (whatever its family: the user chose it);
// 2. else a model of another family than the author's; 3. else another model of the same family.
// Within 2 and 3: models the server lists before ones it does not (an unlisted id may not work
// for this key), then the strong reviewers in STRONG's order, then the others in the
// catalogue's order, the weak ones last. Undefined when there is no model but the author's.
import { familyOf } from '../llm/modelCapabilities';
import { modelKey } from '../llm/catalogue';

export interface CandidateModel {
  id: string;
  /** Set when the model may not work, e.g. the server did not list it. */
  note?: string;
}

export interface ReviewerChoice {
  model: string;
  /** Why this one: the setting, a model of another family, or (no other family offered) the same family. */
  reason: 'setting' | 'otherFamily' | 'sameFamily';
}

/** Good reviewers, best first: strong general and code models that follow a JSON format. */
const STRONG = [/deepseek-v3/i, /gemini-2\.5-pro/i, /qwen2\.5-coder-32b/i, /llama-3\.3-70b/i, /qwen2\.5-72b-instruct/i, /mistral-small/i, /gemini-2\.0-flash/i];
/** Poor reviewers: reasoning distills (long thinking, weak JSON), small or old models, vision models. */
const WEAK = /(?:^|[-_.])r1(?:$|[-_.])|distill|llama-3-8b|mixtral|-vl-/i;

export function pickReviewer(options: { setting?: string; authorModel: string; models: readonly CandidateModel[] }): ReviewerChoice | undefined {
  const setting = options.setting?.trim();
  if (setting) return { model: setting, reason: 'setting' };
  const author = modelKey(options.authorModel);
  const authorFamily = familyOf(author);
  const others = options.models.filter((m) => m.id.trim() && modelKey(m.id) !== author);
  const ranked = others
    .map((model, index) => ({ model, index, otherFamily: familyOf(modelKey(model.id)) !== authorFamily }))
    .sort((a, b) => Number(b.otherFamily) - Number(a.otherFamily) || rank(a.model) - rank(b.model) || a.index - b.index);
  const best = ranked[0];
  if (!best) return undefined;
  return { model: best.model.id, reason: best.otherFamily ? 'otherFamily' : 'sameFamily' };
}

/** Lower is better: listed before unlisted; within each, strong (in order), then the rest, then weak. */
function rank(model: CandidateModel): number {
  const id = modelKey(model.id);
  const strong = STRONG.findIndex((pattern) => pattern.test(id));
  const base = WEAK.test(id) ? 80 : strong >= 0 ? strong : 50;
  return (model.note ? 100 : 0) + base;
}
