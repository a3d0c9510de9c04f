// The local ModelsLab-compatible server in its own process, streaming 5,000 four-character
// chunks of a realistic markdown answer as fast as it can (or paced: BENCH_TPS), so the benchmark's own processes
// only measure the client side.
import { startFakeModelsLab } from '../fake-server/server';
import { longAnswer } from './corpus';

void (async () => {
  const server = await startFakeModelsLab();
  const chunks = Number(process.env.BENCH_CHUNKS ?? 5000);
  // BENCH_TPS paces the chunks like a (fast) model; unset, as fast as the socket takes them.
  const tokensPerSecond = Number(process.env.BENCH_TPS ?? 0) || undefined;
  server.setDefault({ text: longAnswer(chunks * 4).slice(0, chunks * 4), chunkSize: 4, ...(tokensPerSecond ? { tokensPerSecond } : {}) });
  process.stdout.write(`${server.url}\n`);
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
})();
