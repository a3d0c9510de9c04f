import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import * as vscode from 'vscode';
import type { AddressInfo } from 'node:net';
import { startFakeModelsLab, type FakeModelsLab } from '../fake-server/server';
import { connectToFakeServer, disconnect, extensionApi, setSetting } from './harness';

/** A minimal forward proxy for plain-HTTP targets: it records what passed through it. */
async function startRecordingProxy(): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  const seen: string[] = [];
  const proxy = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '/');
    const upstream = http.request(
      { host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers: req.headers },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  // fetch (undici) tunnels even plain-HTTP requests through CONNECT.
  proxy.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise((resolve) => {
      proxy.closeAllConnections();
      proxy.close(() => resolve());
    }),
  };
}

describe('Proxy support in the real host', () => {
  let server: FakeModelsLab;
  before(async () => {
    server = await connectToFakeServer();
  });
  after(async () => {
    await vscode.workspace.getConfiguration('http').update('proxy', undefined, vscode.ConfigurationTarget.Global);
    await disconnect(server);
  });

  it('sends ModelsLab requests through VS Code’s http.proxy setting', async () => {
    const proxy = await startRecordingProxy();
    // VS Code never proxies localhost/127.0.0.1, so the API sits on another loopback address.
    const remote = await startFakeModelsLab({ host: '127.0.0.2' });
    try {
      await setSetting('baseUrl', remote.url);
      await vscode.workspace.getConfiguration('http').update('proxy', proxy.url, vscode.ConfigurationTarget.Global);
      const api = await extensionApi();
      const client = await api.connection.client();
      const text: string[] = [];
      for await (const chunk of client.streamChat([{ role: 'user', content: 'through the proxy?' }], { model: 'Qwen-Qwen2.5-Coder-32B-Instruct' })) {
        if (chunk.type === 'text') text.push(chunk.text);
      }
      assert.ok(text.join('').length > 0, 'the answer arrived');
      assert.ok(
        proxy.seen.some((line) => line.startsWith(`CONNECT ${new URL(remote.url).host}`) || (line.startsWith('POST ') && line.includes('/chat/completions'))),
        `the proxy saw: ${JSON.stringify(proxy.seen)}`,
      );
      assert.equal(remote.requests.filter((r) => r.path.endsWith('/chat/completions')).length, 1);
    } finally {
      await setSetting('baseUrl', server.url);
      await remote.close();
      await proxy.close();
    }
  });
});
