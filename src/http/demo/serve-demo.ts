import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { demoPage } from './demo-page.js';

/**
 * `GET /demo` and its script `/demo/app.js`: the script (demo-app.ts with the typed client and
 * graphql-ws) is bundled by esbuild in memory on first request, so there is no build step.
 */

interface Bundle {
  readonly code: Buffer;
  readonly gzip: Buffer;
}

const gzip = promisify(zlib.gzip);
let bundle: Promise<Bundle> | undefined;

/** The browser bundle of the demo; built once per process. */
export function demoBundle(): Promise<Bundle> {
  bundle ??= (async () => {
    const esbuild = await import('esbuild');
    const built = await esbuild.build({
      entryPoints: [fileURLToPath(new URL('./demo-app.ts', import.meta.url))],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      minify: true,
      write: false,
      legalComments: 'none',
      logLevel: 'silent',
    });
    const code = Buffer.from(built.outputFiles[0]!.contents);
    return { code, gzip: await gzip(code, { level: 9 }) };
  })();
  // A failed build is retried on the next request instead of being cached.
  bundle.catch(() => (bundle = undefined));
  return bundle;
}

export interface DemoOptions {
  /** Prefilled in the API key field for visitors on this machine. */
  readonly devApiKey: string | undefined;
  readonly isLoopback: boolean;
}

/** Answers `/demo`, `/demo/` and `/demo/app.js`; returns false for other paths. */
export function serveDemo(request: IncomingMessage, response: ServerResponse, pathname: string, options: DemoOptions): boolean {
  if (pathname !== '/demo' && !pathname.startsWith('/demo/')) return false;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('Method not allowed');
    return true;
  }
  if (pathname === '/demo' || pathname === '/demo/') {
    const html = demoPage({ devApiKey: options.isLoopback ? options.devApiKey : undefined });
    response.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      // Only its own script and API; pictures may come from PUBLIC_URL's host or a presigned bucket.
      'Content-Security-Policy': "default-src 'self'; img-src * data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self' ws: wss:",
    });
    response.end(request.method === 'HEAD' ? undefined : html);
    return true;
  }
  if (pathname !== '/demo/app.js') {
    response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
    return true;
  }
  demoBundle().then(
    ({ code, gzip: compressed }) => {
      const useGzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
      const body = useGzip ? compressed : code;
      response.writeHead(200, {
        'Content-Type': 'text/javascript; charset=utf-8',
        'Content-Length': body.byteLength,
        'Cache-Control': 'no-cache',
        Vary: 'Accept-Encoding',
        ...(useGzip ? { 'Content-Encoding': 'gzip' } : {}),
      });
      response.end(request.method === 'HEAD' ? undefined : body);
    },
    () => {
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('The demo script could not be built');
    },
  );
  return true;
}
