import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { processRegularResult, type YogaServerInstance } from 'graphql-yoga';
import type { Config } from '../config.js';
import { coerceError } from '../errors.js';
import type { Log } from '../log.js';
import { bodyLimitFor } from './hardening.js';

/**
 * `POST /graphql` with a JSON body, answered on Node's request and response without building a
 * fetch `Request`/`Response` (and its body stream and `AbortSignal`) per request.
 *
 * It is yoga's own request pipeline (graphql-yoga 5.24, `YogaServer.handle`) run on a small view
 * of the Node request: the request-parse hooks (CSRF, introspection switch, body checks), the
 * params hooks (persisted queries), yoga's params handler (parse, validate, context, execute with
 * every envelop plugin: API key, rate limits, operation limits, string guard, error masking), the
 * execution-result hooks and the result-process hooks, which choose the media type. Only the last
 * step differs: a plain result is written with one `res.end` of its JSON text; a result with
 * errors goes through yoga's `processRegularResult`, so its status and body are yoga's.
 *
 * Anything else goes to yoga untouched, before its body is read (other methods or paths, other
 * content types, chunked or empty bodies, `Accept` asking for anything but JSON), or, when only
 * the body tells, with the body already read (not a JSON object, such as a batch or malformed
 * JSON; a subscription, `@defer` or `@stream`; a refusal by a request-parse or params hook),
 * always before anything has executed. test/http/graphql-fast-path.test.ts compares both paths.
 */

/** Pieces of `YogaServer.handle` that graphql-yoga 5.24 keeps private (the version is pinned). */
interface YogaPipeline {
  parseRequest(request: unknown, serverContext: unknown): Promise<ParsedRequest> | ParsedRequest;
  handleParams(payload: { request: unknown; params: Params; context: unknown }): Promise<Result> | Result;
  onParamsHooks: ((payload: Record<string, unknown>) => unknown)[];
  onExecutionResultHooks: ((payload: Record<string, unknown>) => unknown)[];
  onResultProcessHooks: ((payload: Record<string, unknown>) => unknown)[];
  fetchAPI: YogaServerInstance<object, object>['fetchAPI'];
}

type Params = { query?: unknown; [key: string]: unknown };
type Result = { errors?: readonly unknown[]; extensions?: { http?: unknown }; stringify?: (value: unknown) => string };
type ParsedRequest = { response?: Response; requestParserResult?: Params | Params[] };
type ResultProcessor = (result: Result, fetchAPI: YogaPipeline['fetchAPI'], mediaType: string) => Promise<Response> | Response;

/** Media types of `Accept` that yoga answers with a plain JSON result. */
const JsonMediaTypes = new Set(['application/json', 'application/graphql-response+json', 'application/*', '*/*']);
const JsonContentTypes = new Set(['application/json', 'application/json; charset=utf-8', 'application/json;charset=utf-8']);
/** Operations that may answer with a stream (text/event-stream or multipart): yoga's own path. */
const MayStream = /\bsubscription\b|@defer\b|@stream\b/;

/** Headers as fetch's `Headers.get`/`has` read them, over Node's already-parsed header object. */
class HeadersView {
  constructor(private readonly raw: IncomingHttpHeaders) {}
  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }
  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }
}

/** What yoga's hooks read of a request: method, URL, headers and the (already parsed) JSON body. */
class RequestView {
  readonly method = 'POST';
  /** No stream: yoga's body-size wrapper only applies to streamed bodies (Content-Length was checked). */
  readonly body = null;
  readonly headers: HeadersView;
  readonly url: string;
  constructor(
    request: IncomingMessage,
    private readonly parsed: unknown,
  ) {
    this.headers = new HeadersView(request.headers);
    this.url = `http://${request.headers.host ?? 'localhost'}${request.url ?? '/graphql'}`;
  }
  json(): unknown {
    return this.parsed;
  }
}

/** True for the requests the fast path takes, judged on the headers alone. */
function isPlainJsonPost(request: IncomingMessage, pathname: string): boolean {
  if (request.method !== 'POST' || pathname !== '/graphql') return false;
  const headers = request.headers;
  if (headers['transfer-encoding'] !== undefined || !/^[1-9]\d*$/.test(headers['content-length'] ?? '')) return false;
  if (!JsonContentTypes.has((headers['content-type'] ?? '').toLowerCase())) return false;
  const accept = headers.accept;
  if (accept === undefined) return true;
  return accept
    .replace(/\s/g, '')
    .toLowerCase()
    .split(',')
    .every((item) => JsonMediaTypes.has(item.split(';')[0]!));
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
    });
    request.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    request.once('error', reject);
    // 'close' follows 'end' on every request: an error (and its stack) only when the body was cut.
    request.once('close', () => {
      if (!request.complete) reject(new Error('request closed before its body was read'));
    });
  });
}

function parseObject(body: Buffer): Params | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Params) : undefined;
}

/** Writes a fetch `Response` whose body is complete text (yoga's error results, 406). */
async function sendResponse(response: Response, target: ServerResponse): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const body = response.body === null ? undefined : Buffer.from(await response.arrayBuffer());
  target.writeHead(response.status, headers).end(body);
}

export interface GraphQLHttpHandler {
  /** Answers a request that reached the GraphQL endpoint's dispatch, directly or through yoga. */
  handle(request: IncomingMessage, response: ServerResponse, pathname: string): void;
  /** Requests answered on the Node request, and requests handed to yoga's fetch adapter. */
  readonly counts: { direct: number; adapter: number };
}

/** The GraphQL HTTP handler: `POST /graphql` with JSON directly, everything else through yoga. */
export function graphqlHttpHandler(options: {
  /** The yoga instance (`createYoga`'s result), called for everything not answered here. */
  yoga: (request: IncomingMessage, response: ServerResponse, serverContext: { req: IncomingMessage }) => unknown;
  config: Config;
  /** false: every request goes through yoga's fetch adapter (tests compare both paths). */
  direct: boolean;
  log: Log;
}): GraphQLHttpHandler {
  const { log } = options;
  const pipeline = options.yoga as unknown as YogaPipeline;
  // Uploads (multipart) may be as large as a media file in base64, plus the operation.
  const uploadLimit = Math.ceil((options.config.media.maxBytes * 4) / 3) + 1024 * 1024;
  const counts = { direct: 0, adapter: 0 };
  const toYoga = (request: IncomingMessage, response: ServerResponse, body?: Buffer) => {
    counts.adapter++;
    // The Node adapter of @whatwg-node/server uses a body already on the request instead of its stream.
    if (body) (request as IncomingMessage & { body?: Buffer }).body = body;
    void options.yoga(request, response, { req: request });
  };

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let body: Buffer;
    try {
      body = await readBody(request);
    } catch {
      // The client went away mid-body: there is no one to answer.
      return void response.destroy();
    }
    const parsed = parseObject(body);
    if (!parsed) return toYoga(request, response, body);
    const view = new RequestView(request, parsed);
    const serverContext: Record<string, unknown> = { req: request, res: response, waitUntil: (promise: Promise<unknown>) => void promise.catch(() => undefined) };
    let params: Params;
    let result: Result | undefined;
    let handler = pipeline.handleParams;
    try {
      const { response: early, requestParserResult } = await pipeline.parseRequest(view, serverContext);
      if (early || !requestParserResult || Array.isArray(requestParserResult)) return toYoga(request, response, body);
      params = requestParserResult;
      const setParams = (next: Params) => void (params = next);
      const setParamsHandler = (next: typeof handler) => void (handler = next);
      const setResult = (next: Result) => void (result = next);
      for (const hook of pipeline.onParamsHooks) {
        const pending = hook({ params, request: view, setParams, paramsHandler: handler, setParamsHandler, setResult, fetchAPI: pipeline.fetchAPI, context: serverContext });
        if (isThenable(pending)) await pending;
      }
    } catch {
      // A refusal before execution (CSRF, persisted-query miss, bad params): yoga words it.
      return toYoga(request, response, body);
    }
    if (!result && typeof params.query === 'string' && MayStream.test(params.query)) return toYoga(request, response, body);
    result ??= await handler({ request: view, params, context: serverContext });
    for (const hook of pipeline.onExecutionResultHooks) {
      const pending = hook({ result, setResult: (next: Result) => void (result = next), request: view, context: serverContext });
      if (isThenable(pending)) await pending;
    }
    await sendResult(view, result!, serverContext, response);
  }

  /** yoga's `processResult`, writing plain results directly. */
  async function sendResult(view: RequestView, initial: Result, serverContext: unknown, response: ServerResponse): Promise<void> {
    let result = initial;
    let processor: ResultProcessor | undefined;
    let mediaType = '*/*';
    const acceptableMediaTypes: string[] = [];
    const setResult = (next: Result) => void (result = next);
    const setResultProcessor = (next: ResultProcessor, nextMediaType: string) => {
      processor = next;
      mediaType = nextMediaType;
    };
    for (const hook of pipeline.onResultProcessHooks) {
      const pending = hook({ request: view, acceptableMediaTypes, result, setResult, resultProcessor: processor, setResultProcessor, serverContext });
      if (isThenable(pending)) await pending;
    }
    if (!processor) {
      counts.direct++;
      const headers = { accept: acceptableMediaTypes.join('; charset=utf-8, ') };
      return void response.writeHead(406, headers).end();
    }
    const plain = processor === (processRegularResult as unknown) && !result.errors?.length && !result.extensions?.http && !isAsyncIterable(result);
    counts.direct++;
    if (!plain) return sendResponse(await processor(result, pipeline.fetchAPI, mediaType), response);
    const text = (result.stringify ?? JSON.stringify)(result);
    response.writeHead(200, { 'content-type': `${mediaType}; charset=utf-8` }).end(text);
  }

  return {
    counts,
    handle(request, response, pathname) {
      // Bodies above the limit are refused before anything reads them, on either path.
      const tooLarge = bodyLimitFor(request, options.config, uploadLimit);
      if (tooLarge !== undefined) {
        return void response
          .writeHead(413, { 'Content-Type': 'application/json', Connection: 'close' })
          .end(JSON.stringify({ errors: [{ message: `Request body larger than ${tooLarge} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] }));
      }
      if (!options.direct || !isPlainJsonPost(request, pathname)) return toYoga(request, response);
      answer(request, response).catch((error: unknown) => {
        log('error', 'GraphQL request failed', { error: coerceError(error).message });
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ errors: [{ message: 'Unexpected error.' }] }));
        else response.destroy();
      });
    },
  };
}

/** Hooks are awaited only when they return a promise, as yoga does (no extra microtask otherwise). */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

function isAsyncIterable(value: unknown): boolean {
  return typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}
