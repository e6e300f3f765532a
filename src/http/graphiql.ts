import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { GraphiQLOptions } from 'graphql-yoga';

/**
 * GraphiQL with its assets served by Pictor (no CDN) as separate, compressed, immutable files:
 * the page itself stays a few kilobytes instead of the 9 MB the inlined renderer produces.
 */

type AssetName = 'graphiql.js' | 'graphiql.css' | 'favicon.png' | 'editorWorkerService.worker.js' | 'json.worker.js' | 'graphql.worker.js';

interface Asset {
  readonly contentType: string;
  readonly body: Buffer;
  /** Compressed forms, made on first request and kept. */
  brotli?: Promise<Buffer>;
  gzip?: Promise<Buffer>;
}

interface Bundle {
  /** Changes with the GraphiQL version, so assets can be cached forever. */
  readonly version: string;
  readonly assets: ReadonlyMap<AssetName, Asset>;
}

const ASSET_PREFIX = '/graphiql/';
const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);
let bundle: Promise<Bundle> | undefined;

function loadBundle(): Promise<Bundle> {
  bundle ??= import('@graphql-yoga/render-graphiql/graphiql').then((module) => {
    const favicon = /^data:image\/png;base64,(.*)$/s.exec(module.favicon)?.[1] ?? '';
    const entries: [AssetName, Asset][] = [
      ['graphiql.js', { contentType: 'text/javascript; charset=utf-8', body: Buffer.from(module.js) }],
      ['graphiql.css', { contentType: 'text/css; charset=utf-8', body: Buffer.from(module.css) }],
      ['favicon.png', { contentType: 'image/png', body: Buffer.from(favicon, 'base64') }],
      ['editorWorkerService.worker.js', { contentType: 'text/javascript; charset=utf-8', body: Buffer.from(module.editorWorkerService) }],
      ['json.worker.js', { contentType: 'text/javascript; charset=utf-8', body: Buffer.from(module.jsonWorker) }],
      ['graphql.worker.js', { contentType: 'text/javascript; charset=utf-8', body: Buffer.from(module.graphqlWorker) }],
    ];
    const hash = createHash('sha256');
    for (const [, asset] of entries) hash.update(asset.body);
    return { version: hash.digest('hex').slice(0, 16), assets: new Map(entries) };
  });
  return bundle;
}

/** yoga's `renderGraphiQL`: a small page that loads the assets from `/graphiql/<version>/`. */
export async function renderLocalGraphiQL(options: GraphiQLOptions = {}): Promise<string> {
  const { version } = await loadBundle();
  const base = `${ASSET_PREFIX}${version}/`;
  // `<` escaped so no option value can close the script element.
  const json = JSON.stringify(options).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${escapeHtml(options.title ?? 'GraphiQL')}</title>
    <link rel="icon" href="${base}favicon.png" />
    <link rel="stylesheet" href="${base}graphiql.css" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run GraphiQL.</noscript>
    <div id="root"></div>
    <script>
      self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (moduleId, label) => '${base}' + label + '.worker.js' };
    </script>
    <script src="${base}graphiql.js"></script>
    <script>
      YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), ${json});
    </script>
  </body>
</html>
`;
}

/** Serves `/graphiql/<version>/<asset>`, brotli or gzip compressed when the client accepts it. Returns false for other paths. */
export function serveGraphiQLAsset(request: IncomingMessage, response: ServerResponse, pathname: string): boolean {
  if (!pathname.startsWith(ASSET_PREFIX)) return false;
  void sendAsset(request, response, pathname.slice(ASSET_PREFIX.length)).catch(() => {
    if (!response.headersSent) response.writeHead(500).end();
  });
  return true;
}

async function sendAsset(request: IncomingMessage, response: ServerResponse, rest: string): Promise<void> {
  const { version, assets } = await loadBundle();
  const [requestedVersion, name] = rest.split('/', 2);
  const asset = assets.get(name as AssetName);
  if (!asset || (request.method !== 'GET' && request.method !== 'HEAD')) {
    return void response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
  }
  const accepted = String(request.headers['accept-encoding'] ?? '');
  const encoding = /\bbr\b/.test(accepted) ? 'br' : /\bgzip\b/.test(accepted) ? 'gzip' : undefined;
  const body =
    encoding === 'br'
      ? await (asset.brotli ??= brotli(asset.body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 6, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: asset.body.byteLength } }))
      : encoding === 'gzip'
        ? await (asset.gzip ??= gzip(asset.body, { level: 9 }))
        : asset.body;
  response.writeHead(200, {
    'Content-Type': asset.contentType,
    'Content-Length': body.byteLength,
    // An old version's URL still answers (with the current files) but is not cached for long.
    'Cache-Control': requestedVersion === version ? 'public, max-age=31536000, immutable' : 'no-cache',
    Vary: 'Accept-Encoding',
    ...(encoding ? { 'Content-Encoding': encoding } : {}),
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}

/**
 * GraphiQL sends the headers editor's content with each WebSocket operation as
 * `extensions.headers`, not as connection parameters: the API key found there, if any.
 */
export function authorizationFromExtensions(extensions: unknown): string | undefined {
  if (typeof extensions !== 'object' || extensions === null) return undefined;
  const headers = (extensions as { headers?: unknown }).headers;
  if (typeof headers !== 'object' || headers === null) return undefined;
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'authorization' && typeof value === 'string') return value;
  }
  return undefined;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
