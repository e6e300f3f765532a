import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { trackOpen } from './open-resources.js';

/** A request the fake upstream received, for asserting the exact outgoing call. */
export interface RecordedRequest {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** The body parsed as JSON, when it is JSON. */
  readonly json: any;
}

/** What the fake answers: JSON, raw bytes, or a Server-Sent Events stream. */
export interface FakeResponse {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  body?: Buffer | string;
  /** Each entry is sent as one SSE `data:` event (objects are JSON-encoded); `event` names it. */
  sse?: { event?: string; data: unknown }[];
}

export interface FakeUpstream {
  /** `http://127.0.0.1:<port>`: use it as `<PROVIDER>_BASE_URL` (plus any path prefix). */
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A local HTTP server standing in for an upstream provider API. The handler sees each request
 * (recorded in order) and returns the documented response shape for it.
 */
export async function startFakeUpstream(handler: (request: RecordedRequest, index: number) => FakeResponse | Promise<FakeResponse>): Promise<FakeUpstream> {
  const requests: RecordedRequest[] = [];
  const server = createServer(async (incoming, outgoing) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(incoming.url ?? '/', 'http://fake');
    let json: unknown;
    try {
      json = body.length ? JSON.parse(body.toString('utf8')) : undefined;
    } catch {
      json = undefined;
    }
    const request: RecordedRequest = { method: incoming.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: incoming.headers, body, json };
    requests.push(request);
    try {
      const response = await handler(request, requests.length - 1);
      if (response.sse) {
        outgoing.writeHead(response.status ?? 200, { 'content-type': 'text/event-stream', ...response.headers });
        for (const event of response.sse) {
          outgoing.write(`${event.event ? `event: ${event.event}\n` : ''}data: ${typeof event.data === 'string' ? event.data : JSON.stringify(event.data)}\n\n`);
        }
        outgoing.end();
        return;
      }
      const payload = response.json !== undefined ? JSON.stringify(response.json) : (response.body ?? '');
      outgoing.writeHead(response.status ?? 200, { ...(response.json !== undefined ? { 'content-type': 'application/json' } : {}), ...response.headers });
      outgoing.end(payload);
    } catch (error) {
      outgoing.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const closed = trackOpen(`the fake upstream at http://127.0.0.1:${port} (startFakeUpstream: call close())`);
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }).then(closed),
  };
}

/** A small real picture for fixtures (upstreams return real images; Pictor decodes them). */
export async function testPicture(width = 64, height = 48, format: 'png' | 'jpeg' | 'webp' = 'png', color = '#3366cc'): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: color } })
    .composite([{ input: Buffer.from(`<svg width="${width}" height="${height}"><circle cx="${width / 2}" cy="${height / 2}" r="${Math.min(width, height) / 3}" fill="#ffcc00"/></svg>`) }])
    .toFormat(format)
    .toBuffer();
}
