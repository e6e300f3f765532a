/**
 * Baseline for bench/realtime.ts: a bare `ws` WebSocketServer holding idle connections and
 * broadcasting a prepared 200-byte message on request. It does what Pictor's realtime path must
 * do at the very least (keep a socket per client, write a frame per delivery) and nothing else:
 * no protocol, no authentication, no GraphQL execution, no per-client serialisation.
 *
 * Run as a child process by the benchmark (`PORT` and `HOST` from the environment):
 *   GET  /readyz                      200 once listening
 *   GET  /count                       number of open connections
 *   GET  /broadcast?seq=N[&group=G]   sends message N to every client (or to the clients that
 *                                      connected with `/?group=G`); answers how many it sent
 *   WebSocket on any path; `?group=G` puts the client in group G.
 */
import { createServer } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

const MESSAGE_BYTES = 200;
const port = Number(process.env.PORT ?? 0);
const host = process.env.HOST ?? '127.0.0.1';

const groups = new Map<number, Set<WebSocket>>();

/** `{"seq":N,"padding":"xxx..."}`, padded to exactly MESSAGE_BYTES, encoded once per broadcast. */
function message(sequence: number): Buffer {
  const head = `{"seq":${sequence},"padding":"`;
  const tail = '"}';
  return Buffer.from(`${head}${'x'.repeat(Math.max(0, MESSAGE_BYTES - head.length - tail.length))}${tail}`);
}

const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname === '/readyz') return void response.writeHead(200).end('ready');
  if (url.pathname === '/count') return void response.writeHead(200).end(String(webSockets.clients.size));
  if (url.pathname === '/broadcast') {
    const data = message(Number(url.searchParams.get('seq') ?? 0));
    const group = url.searchParams.get('group');
    const targets = group === null ? webSockets.clients : (groups.get(Number(group)) ?? new Set<WebSocket>());
    // binary: false sends a text frame like graphql-ws does; the buffer is shared by every send.
    for (const client of targets) client.send(data, { binary: false });
    return void response.writeHead(200).end(String(targets.size));
  }
  response.writeHead(404).end();
});

const webSockets = new WebSocketServer({ server, perMessageDeflate: false });
webSockets.on('connection', (socket, request) => {
  const group = Number(new URL(request.url ?? '/', 'http://localhost').searchParams.get('group') ?? 0);
  let members = groups.get(group);
  if (!members) groups.set(group, (members = new Set()));
  members.add(socket);
  socket.once('close', () => members.delete(socket));
});

server.listen(port, host);

const shutdown = () => {
  for (const client of webSockets.clients) client.terminate();
  webSockets.close();
  server.close(() => process.exit(0));
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
