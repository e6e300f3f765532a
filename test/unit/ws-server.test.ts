import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSchema } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { serveGraphQLWs } from '../../src/http/ws-server.js';

const schema = buildSchema('type Query { ok: Boolean } type Subscription { count: Int }');
schema.getSubscriptionType()!.getFields().count!.subscribe = async function* () {
  for (let count = 1; count <= 3; count++) yield { count };
};

let stop: (() => Promise<void>) | undefined;
afterEach(() => stop?.());

async function start(keepAliveMs: number, connectionInitWaitTimeout?: number) {
  const server: Server = createServer();
  const webSockets = new WebSocketServer({ server });
  const errors: unknown[] = [];
  const glue = serveGraphQLWs<Record<string, unknown>, Record<string, never>>(webSockets, { schema, connectionInitWaitTimeout }, { keepAliveMs, onInternalError: (error) => errors.push(error) });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  stop = async () => {
    await glue.dispose();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`, errors };
}

async function client(url: string, options: { autoPong?: boolean } = {}) {
  const socket = new WebSocket(url, 'graphql-transport-ws', options);
  const messages: string[] = [];
  let pings = 0;
  socket.on('ping', () => pings++);
  socket.on('message', (data: Buffer) => messages.push(data.toString('utf8')));
  await once(socket, 'open');
  socket.send('{"type":"connection_init"}');
  await expect.poll(() => messages).toContain('{"type":"connection_ack"}');
  return { socket, messages, pings: () => pings };
}

describe('graphql-ws over ws', () => {
  it('writes each subscription result as graphql-ws does, under the subscriber’s id, then completes', async () => {
    const { url, errors } = await start(60_000);
    const { socket, messages } = await client(url);
    socket.send(JSON.stringify({ id: 'x1', type: 'subscribe', payload: { query: 'subscription { count }' } }));
    await expect.poll(() => messages.at(-1)).toBe('{"id":"x1","type":"complete"}');
    expect(messages.slice(1)).toEqual([1, 2, 3].map((count) => `{"id":"x1","type":"next","payload":{"data":{"count":${count}}}}`).concat('{"id":"x1","type":"complete"}'));
    expect(errors).toEqual([]);
  });

  it('pings every socket once per interval from one timer and terminates the one that stops answering', async () => {
    // Generous against a loaded machine: a live client has 300 ms to answer each ping (pings go out
    // group by group, every socket once per 300 ms).
    const { url } = await start(300);
    const live = await Promise.all([client(url), client(url), client(url)]);
    const dead = await client(url, { autoPong: false });
    const [code] = (await once(dead.socket, 'close')) as [number];
    // Terminated without a close frame: the client sees an abnormal closure.
    expect(code).toBe(1006);
    expect(dead.pings()).toBeGreaterThanOrEqual(1);
    await expect.poll(() => live.every((socket) => socket.pings() >= 2), { timeout: 10_000 }).toBe(true);
    expect(live.every(({ socket }) => socket.readyState === WebSocket.OPEN)).toBe(true);
  });

  it('closes a socket that does not send connection_init in time with 4408, and keeps the one that did', async () => {
    const { url } = await start(600, 500);
    const initialised = await client(url);
    const silent = new WebSocket(url, 'graphql-transport-ws');
    const opened = performance.now();
    const [code, reason] = (await once(silent, 'close')) as [number, Buffer];
    expect([code, reason.toString()]).toEqual([4408, 'Connection initialisation timeout']);
    // Not before the wait is over.
    expect(performance.now() - opened).toBeGreaterThanOrEqual(400);
    // Still served: a subscription on the socket that initialised completes normally.
    initialised.socket.send(JSON.stringify({ id: 'after', type: 'subscribe', payload: { query: 'subscription { count }' } }));
    await expect.poll(() => initialised.messages.at(-1)).toBe('{"id":"after","type":"complete"}');
  });
});
