// The official openai SDK, configured for ModelsLab.
import OpenAI from 'openai';
import { isLegacyErrorBody, serverMessageOf } from './errors';
import type { HttpSender } from './guardedStream';

export interface SdkOptions {
  baseUrl: string;
  apiKey: string;
  fetch?: typeof fetch;
}

/** Our own timers (connect, idle) are the real limits; this one is only a backstop. */
const SDK_BACKSTOP_TIMEOUT_MS = 24 * 60 * 60 * 1000;

/**
 * The SDK only reads `{error:{…}}` bodies; a legacy `{status:"error", message}` body would lose
 * its message ("400 status code (no body)"). Rewrite it to the documented shape first.
 */
class ModelsLabOpenAI extends OpenAI {
  protected override makeStatusError(status: number, error: object, message: string | undefined, headers: Headers) {
    // retry_after (ModelsLab's rate-limit wait, in seconds) must survive the rewrite.
    const retry_after = (error as { retry_after?: unknown } | null)?.retry_after;
    const body = isLegacyErrorBody(error) ? { error: { message: serverMessageOf(error), type: 'legacy_error', retry_after } } : error;
    return super.makeStatusError(status, body, message, headers);
  }
}

export function createSdk(options: SdkOptions): OpenAI {
  return new ModelsLabOpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseUrl.replace(/\/+$/, ''),
    maxRetries: 0, // the one retry policy is ours (retry.ts)
    timeout: SDK_BACKSTOP_TIMEOUT_MS,
    logLevel: 'off', // the SDK would print to the console; we log through our Logger
    // Never pick up OpenAI settings from the environment and send them to ModelsLab.
    organization: null,
    project: null,
    adminAPIKey: null,
    webhookSecret: null,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

/**
 * Sends a transport's wire request through the SDK, which adds the key and maps HTTP errors to
 * APIErrors. The body is left unread for the transport's decoder.
 */
export function sdkSender(sdk: OpenAI): HttpSender {
  return (wire, signal) => sdk.post(wire.path, { body: wire.body, signal, headers: wire.headers, stream: true }).asResponse();
}
