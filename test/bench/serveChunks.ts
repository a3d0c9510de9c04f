// The local ModelsLab-compatible server in its own process, streaming 5,000 chunks as fast as
// it can, so the benchmark's own process only measures the client side.
import { startFakeModelsLab } from '../fake-server/server';

void (async () => {
  const server = await startFakeModelsLab();
  server.setDefault({ chunks: Number(process.env.BENCH_CHUNKS ?? 5000), chunkSize: 4 });
  process.stdout.write(`${server.url}\n`);
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
})();
