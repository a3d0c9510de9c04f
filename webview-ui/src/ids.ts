// Request ids tie a send/regenerate/retry to the answer events the host sends back.
let counter = 0;

export function newRequestId(): string {
  const cryptoApi = globalThis.crypto as Crypto | undefined;
  if (cryptoApi && typeof cryptoApi.randomUUID === 'function') return cryptoApi.randomUUID();
  counter += 1;
  return `req-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 10)}`;
}
