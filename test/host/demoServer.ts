// The local ModelsLab-compatible server as `npm run demo` runs it: each chat request is
// answered with a reply chosen from that request (test/host/demoReply.ts), paced like a
// hosted model.
import { startFakeModelsLab, type FakeModelsLab, type RecordedRequest, type ReplyScript } from '../fake-server/server';
import { demoScript, DEMO_PACE } from './demoReply';

/**
 * Makes the server answer each chat request with `choose(its body)`.
 *
 * The fake server takes one script per request (the queue, else the default) and has no hook
 * that sees the request first. It records the request and then picks the script in the same
 * synchronous step, so setting the default as the record is pushed gives each request its own
 * script. test/unit/demo-reply.test.ts checks that two different requests get their own replies.
 */
export function answerEachRequest(server: FakeModelsLab, choose: (body: unknown) => ReplyScript): void {
  const records = server.requests;
  const push = records.push.bind(records);
  records.push = (...items: RecordedRequest[]): number => {
    for (const item of items) {
      if (item.method === 'POST' && item.path.endsWith('/chat/completions')) server.setDefault(choose(item.body));
    }
    return push(...items);
  };
}

export async function startDemoServer(pace: { tokensPerSecond: number; firstTokenMs: number } = DEMO_PACE): Promise<FakeModelsLab> {
  const server = await startFakeModelsLab();
  answerEachRequest(server, (body) => demoScript(body, pace));
  return server;
}
