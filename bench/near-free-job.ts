import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { graphqlPosters } from './http-client.js';

/**
 * What a near-free job runs on:
 * - `upstream`: `grok-imagine` against a local stand-in for xAI's images API
 *   (`POST /v1/images/generations`, answered at once with one 64x64 PNG as `b64_json`), so what
 *   is measured is the gateway's own work around an upstream call: the queue, the call, storing
 *   the output, billing and the events.
 * - `placeholder`: the local development engine at its cheapest (one step, no wait, 512 px):
 *   the same plus rendering a picture in the worker.
 */
export type NearFreeKind = 'upstream' | 'placeholder';

const Bodies: Record<NearFreeKind, string> = {
  upstream: body({ grokImagine: { prompt: 'bench' } }),
  placeholder: body({ placeholder: { prompt: 'bench', steps: 1, stepMs: 0, resolution: 'RES_512' } }),
};

function body(model: Record<string, unknown>): string {
  return JSON.stringify({
    query: 'mutation($input: GenerateImageInput!) { generateImage(input: $input) { __typename ... on GenerateImageSuccess { job { id } } } }',
    variables: { input: { model } },
  });
}

/** Submits one near-free job to the Pictor API on `port` through `agent`; resolves to its id. */
export function submitNearFreeJob(agent: http.Agent, port: number, key: string, kind: NearFreeKind = 'placeholder'): Promise<string> {
  const BODY = Bodies[kind];
  return new Promise((resolve, reject) => {
    const request = http.request(
      { agent, host: '127.0.0.1', port, path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY), authorization: `Bearer ${key}` } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const id = /"job":\{"id":"([^"]+)"/.exec(body)?.[1];
          if (id) resolve(id);
          else reject(new Error(`generateImage failed: ${body.slice(0, 300)}`));
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(BODY);
  });
}

/**
 * `clients` keep-alive connections to the Pictor API on `port` (bench/http-client.ts: the load
 * generator's own CPU kept small); `submit(client, key)` sends client's next near-free job and
 * resolves to its id.
 */
export function nearFreeSubmitters(port: number, clients: number, kind: NearFreeKind): { submit: (client: number, key: string) => Promise<string>; close: () => void } {
  const posters = graphqlPosters(port, clients, Bodies[kind]);
  return {
    async submit(client, key) {
      const { status, body } = await posters.post(client, key);
      const id = /"job":\{"id":"([^"]+)"/.exec(body)?.[1];
      if (status !== 200 || !id) throw new Error(`generateImage failed: HTTP ${status} ${body.slice(0, 300)}`);
      return id;
    },
    close: posters.close,
  };
}

export interface NearFreeUpstream {
  /** Environment for the Pictor process: routes `grok-imagine` to the stand-in. */
  env: Record<string, string>;
  /** Generation calls answered so far. */
  readonly calls: number;
  close(): Promise<void>;
}

/**
 * A local stand-in for xAI's images API answering every generation with the same small PNG, in
 * xAI's documented response shape (`data[].b64_json`, `usage.cost_in_usd_ticks`): at once, or
 * `latencyMs` after the request arrived, as a real upstream that takes its time (the wait costs
 * no CPU: a timer), each answer `jitterMs` earlier or later at random (uniform), as real answers
 * spread out.
 */
export async function startNearFreeUpstream({ latencyMs = 0, jitterMs = 0 }: { latencyMs?: number; jitterMs?: number } = {}): Promise<NearFreeUpstream> {
  const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#3b82f6' } })
    .png()
    .toBuffer();
  const answer = JSON.stringify({ data: [{ b64_json: png.toString('base64'), mime_type: 'image/png' }], usage: { cost_in_usd_ticks: 200_000_000 } });
  let calls = 0;
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/v1/images/generations') return void response.writeHead(404).end();
      calls++;
      const send = () => void response.writeHead(200, { 'content-type': 'application/json' }).end(answer);
      const delay = latencyMs + (Math.random() * 2 - 1) * Math.min(jitterMs, latencyMs);
      if (delay > 0) setTimeout(send, delay);
      else send();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    env: { XAI_API_KEY: 'bench', XAI_BASE_URL: `http://127.0.0.1:${port}/v1` },
    get calls() {
      return calls;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
