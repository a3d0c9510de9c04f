// The model list. The OpenAI SDK's path is GET {base}/models; ModelsLab documents GET
// {base}/v1/models, which also takes the key as x-api-key. Either may be missing (404), so
// each is tried in turn. It gives ids only: no context size, no capabilities.
import type OpenAI from 'openai';
import { isLegacyErrorBody, legacyBodyError, malformedResponseError, ModelsLabError, toModelsLabError, type ErrorContext } from './errors';
import type { Logger } from './logger';

export const MODEL_LIST_PATHS = ['/models', '/v1/models'] as const;
export type ModelListPath = (typeof MODEL_LIST_PATHS)[number];

export interface ModelListCall {
  sdk: OpenAI;
  apiKey: string;
  timeoutMs: number;
  requestId: string;
  logger: Logger;
  now: () => number;
  signal?: AbortSignal;
}

export interface ModelList {
  ids: string[];
  /** The path that answered. */
  path: ModelListPath;
}

/** The list from the first path that has one; a 404 moves on to the next. Not retried. */
export async function fetchModelList(call: ModelListCall): Promise<ModelList> {
  const started = call.now();
  for (const path of MODEL_LIST_PATHS) {
    try {
      const ids = await getModelIds(call, path, true);
      call.logger.info(`[${call.requestId}] model list (${path}): ${ids.length} model(s) in ${call.now() - started} ms`);
      return { ids, path };
    } catch (err) {
      if (isMissingPath(err) && path !== MODEL_LIST_PATHS.at(-1)) continue;
      call.logger.warn(`[${call.requestId}] model list failed: ${(err as Error).message}`);
      throw err;
    }
  }
  throw new Error('unreachable: MODEL_LIST_PATHS is not empty');
}

/** True for the error of a model-list path that does not exist. */
export function isMissingPath(err: unknown): boolean {
  return err instanceof ModelsLabError && err.kind === 'bad_request' && err.status === 404;
}

/**
 * Does `path` refuse a request without any key (401/403)? Some gateways serve the list to
 * anyone, and then a list answered with the key proves nothing about it.
 */
export async function refusesWithoutKey(call: ModelListCall, path: ModelListPath): Promise<boolean> {
  try {
    await getModelIds(call, path, false);
    call.logger.info(`[${call.requestId}] ${path} answers without a key; it cannot check one`);
    return false;
  } catch (err) {
    if (err instanceof ModelsLabError && err.kind === 'cancelled') throw err;
    return err instanceof ModelsLabError && err.kind === 'auth';
  }
}

async function getModelIds(call: ModelListCall, path: ModelListPath, withKey: boolean): Promise<string[]> {
  const ctx: ErrorContext = { secrets: [call.apiKey], operation: 'models', requestId: call.requestId };
  // null removes a header the SDK would add (its bearer token).
  const keyHeaders = !withKey ? { authorization: null, 'x-api-key': null } : path === '/v1/models' ? { 'x-api-key': call.apiKey } : {};
  let body: unknown;
  try {
    body = await call.sdk.get(path, {
      signal: call.signal ?? null,
      timeout: call.timeoutMs,
      headers: { 'X-Client-Request-Id': call.requestId, ...keyHeaders },
    });
  } catch (err) {
    throw toModelsLabError(err, ctx);
  }
  if (isLegacyErrorBody(body)) throw legacyBodyError(body, ctx);
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw malformedResponseError(ctx, 'model list without a data array');
  return data
    .map((entry) => (typeof entry === 'string' ? entry : (entry as { id?: unknown } | null)?.id))
    .filter((id): id is string => typeof id === 'string' && id.trim() !== '');
}
