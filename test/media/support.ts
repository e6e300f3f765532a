import fs from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import sharp from 'sharp';
import type { TestApp } from '../support/app.js';
import { trackOpen } from '../support/open-resources.js';

/** A test picture made with sharp: a gradient-free but non-uniform image, so variants differ. */
export async function makeImage(format: 'png' | 'jpeg' | 'webp' | 'gif' | 'avif', width = 96, height = 64): Promise<Buffer> {
  const base = sharp({ create: { width, height, channels: 4, background: { r: 30, g: 120, b: 200, alpha: 1 } } }).composite([
    { input: { create: { width: Math.max(1, width >> 1), height: Math.max(1, height >> 1), channels: 4, background: { r: 250, g: 200, b: 40, alpha: 1 } } }, left: 0, top: 0 },
  ]);
  return base.toFormat(format).toBuffer();
}

/** A local HTTP server on 127.0.0.1 (or another loopback address); records the requests it got. */
export interface LocalServer {
  readonly url: string;
  readonly port: number;
  readonly requests: { url: string; host: string | undefined }[];
  close(): Promise<void>;
}

export async function startLocalServer(handler: (request: IncomingMessage, response: ServerResponse) => void, host = '127.0.0.1'): Promise<LocalServer> {
  const requests: { url: string; host: string | undefined }[] = [];
  const server: Server = createServer((request, response) => {
    requests.push({ url: request.url ?? '/', host: request.headers.host });
    handler(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const hostname = host.includes(':') ? `[${host}]` : host;
  const closed = trackOpen(`the local server at http://${hostname}:${port} (startLocalServer: call close())`);
  return {
    url: `http://${hostname}:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }).then(closed),
  };
}

/** A real S3-compatible server (s3rver) on 127.0.0.1 with one bucket, storing under a temp dir. */
export interface LocalS3 {
  readonly endpoint: string;
  readonly bucket: string;
  /** Environment for `startTestApp` to use this bucket. */
  env(extra?: Record<string, string>): Record<string, string>;
  close(): Promise<void>;
}

export async function startS3(bucket = 'pictor-test'): Promise<LocalS3> {
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'pictor-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
  const address = (await server.run()) as AddressInfo;
  const endpoint = `http://127.0.0.1:${address.port}`;
  return {
    endpoint,
    bucket,
    env: (extra = {}) => ({
      BLOB_STORE: 's3',
      S3_BUCKET: bucket,
      S3_ENDPOINT: endpoint,
      S3_REGION: 'us-east-1',
      // s3rver's fixed development credentials.
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_FORCE_PATH_STYLE: 'true',
      ...extra,
    }),
    async close() {
      await server.close();
      await fs.rm(directory, { recursive: true, force: true });
    },
  };
}

/** POST /v1/media with a multipart `file` field. */
export async function uploadMultipart(test: TestApp, key: string, bytes: Uint8Array, filename = 'picture.png', type = 'image/png') {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), filename);
  const response = await fetch(`${test.url}/v1/media`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: form });
  return { status: response.status, body: (await response.json()) as any };
}

/** POST /v1/media with the image as the raw body. */
export async function uploadRaw(test: TestApp, key: string | undefined, bytes: Uint8Array, type = 'application/octet-stream') {
  const response = await fetch(`${test.url}/v1/media`, {
    method: 'POST',
    headers: { 'content-type': type, ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: new Uint8Array(bytes),
  });
  return { status: response.status, body: (await response.json()) as any };
}

/** A GraphQL multipart request (graphql-multipart-request-spec) with one file at `variables.file`. */
export async function graphqlUpload(test: TestApp, key: string, query: string, bytes: Uint8Array, filename = 'upload.bin') {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query, variables: { file: null } }));
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', new Blob([new Uint8Array(bytes)]), filename);
  const response = await fetch(`${test.url}/graphql`, {
    method: 'POST',
    // Multipart is a "simple" request: CSRF prevention wants a header a cross-site form cannot send.
    headers: { authorization: `Bearer ${key}`, 'graphql-preflight': '1' },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as any };
}

/** Fetches a URL and returns status, headers and bytes. */
export async function download(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers, redirect: 'follow' });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

/** Every blob key in the app's store under `prefix`, sorted. */
export async function blobKeys(test: TestApp, prefix = ''): Promise<string[]> {
  return (await test.app.services.store.list(prefix)).sort();
}
