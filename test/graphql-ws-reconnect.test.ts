import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { collect, generatePlaceholder, JOB_UPDATED, startTestApp, waitFor, type TestApp } from './support/app.js';

let test: TestApp;
let key: string;

beforeAll(async () => {
  test = await startTestApp();
  key = (await test.createKey(100)).key;
});
afterAll(() => test?.stop());

/** A TCP hop between client and server whose connections the test can cut (a network drop). */
async function startCuttableProxy(target: URL) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((incoming) => {
    const outgoing = net.connect(Number(target.port), target.hostname);
    for (const socket of [incoming, outgoing]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    incoming.pipe(outgoing).pipe(incoming);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    cut: () => sockets.forEach((socket) => socket.destroy()),
    close: () => new Promise<void>((resolve) => (sockets.forEach((socket) => socket.destroy()), server.close(() => resolve()))),
  };
}

describe('graphql-ws reconnects', () => {
  it('resume from the last cursor when the subscription payload carries it (the documented pattern)', async () => {
    const proxy = await startCuttableProxy(new URL(test.url));
    const client = createClient({
      url: proxy.url,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${key}` },
      retryAttempts: 10,
      retryWait: () => new Promise((resolve) => setTimeout(resolve, 50)),
    });
    try {
      const job = await generatePlaceholder(test, key, { steps: 12, stepMs: 60 });
      // The pattern: keep the cursor of the last update in the request's variables. graphql-ws
      // sends this same object again when it reconnects, so the server replays from there.
      const request = { query: JOB_UPDATED, variables: { id: job.id, after: null as string | null } };
      const received: any[] = [];
      let cuts = 0;
      const done = new Promise<void>((resolve, reject) =>
        client.subscribe<any>(request, {
          next: (result) => {
            received.push(result.data.jobUpdated);
            request.variables.after = result.data.jobUpdated.cursor;
            // Drop the network twice mid-stream.
            if ((received.length === 3 || received.length === 7) && cuts < 2) {
              cuts++;
              proxy.cut();
            }
          },
          error: reject,
          complete: resolve,
        }),
      );
      await done;
      expect(cuts).toBe(2);
      expect(received.filter((update) => update.type === 'SNAPSHOT')).toHaveLength(1);
      const reference = await collect<any>(test.wsClient(key), JOB_UPDATED, { id: job.id, after: received[0].cursor });
      expect(received.slice(1).map((update) => update.cursor)).toEqual(reference.map((item) => item.jobUpdated.cursor));
      expect(received.at(-1).type).toBe('SUCCEEDED');
    } finally {
      await client.dispose();
      await proxy.close();
    }
  });

  it('a bad API key gets a close code the client does not retry, at once', async () => {
    // Default retry settings: a retried close would keep this going for tens of seconds.
    const client = createClient({ url: `${test.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: 'Bearer pk_not-a-key' } });
    const started = Date.now();
    try {
      const failure = await collect(client, 'subscription { jobsUpdated { type } }', {}).then(
        () => undefined,
        (error) => error,
      );
      expect(failure).toMatchObject({ code: 4401 });
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await client.dispose();
    }
    await waitFor(() => test.app.services.hub.subscriberCount === 0, 'nothing registered');
  });
});
