import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { execute, getOperationAST, GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { createGraphQLError, processRegularResult, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Config } from '../config.js';
import { coerceError } from '../errors.js';
import type { Log } from '../log.js';
import type { Context } from '../services.js';
import { admit } from './auth-plugin.js';
import { bodyLimitFor } from './hardening.js';
import { stringRefusal } from './input-guard.js';

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
 *
 * A request whose parameters are only a query, its variables and an operation name (no
 * extensions) skips the request-parse, params, parse and validate steps as well once the same
 * document text has been executed through the whole pipeline (`usePreparedDocuments` remembers
 * it then, validated): those hooks cannot act on such a request (see `PreparedHooks`). It does
 * the work of the plugins that act on an execution (the context, the API key and rate limit, the
 * string guard, error masking: see `PreparedExecuteHooks`) itself, and a plain result is written
 * in the media type that yoga's result processors chose for the same `Accept` header before.
 */

/** Pieces of `YogaServer.handle` that graphql-yoga 5.24 keeps private (the version is pinned). */
interface YogaPipeline {
  parseRequest(request: unknown, serverContext: unknown): Promise<ParsedRequest> | ParsedRequest;
  handleParams(payload: { request: unknown; params: Params; context: unknown }): Promise<Result> | Result;
  getEnveloped(context: Record<string, unknown>): Enveloped;
  onRequestParseHooks: unknown[];
  onParamsHooks: ((payload: Record<string, unknown>) => unknown)[];
  onExecutionResultHooks: ((payload: Record<string, unknown>) => unknown)[];
  onResultProcessHooks: ((payload: Record<string, unknown>) => unknown)[];
  fetchAPI: YogaServerInstance<object, object>['fetchAPI'];
  logger: { error(...args: unknown[]): void; debug(...args: unknown[]): void };
  maskedErrorsOpts: { maskError(error: unknown, message: string, isDev?: boolean): Error; errorMessage: string; isDev?: boolean } | null;
  /** Every plugin, yoga's own and the server's (`false` where an optional one is off). */
  plugins: unknown[];
}

/** envelop's functions for one request: of them, prepared operations only take the schema. */
interface Enveloped {
  schema: GraphQLSchema;
}

/**
 * Yoga's hooks that a prepared operation skips, by name, in yoga's order, and why each cannot act
 * on a JSON `POST /graphql` whose parameters `plainParams` accepts. The server refuses to start
 * (`assertPreparedHooksCovered`) when a plugin with one of these hooks is added or removed without
 * this list changing with it.
 */
export const PreparedHooks = {
  onRequestParse: [
    "yoga's GET parser (a POST)",
    "yoga's JSON parser (its result is the parsed body: an object)",
    "yoga's multipart parser (JSON)",
    "yoga's application/graphql parser (JSON)",
    "yoga's form parser (JSON)",
    'CSRF prevention (a JSON body is never a simple request)',
    "yoga's body size limit (for streamed bodies; Content-Length was checked)",
    "yoga's batching limit (an object, not a batch)",
    "yoga's method check (POST)",
  ],
  /** Present when introspection is off (INTROSPECTION=false). */
  introspectionSwitch:
    'the introspection switch, which marks every request for its validation rule: a prepared document was validated under the same rule (`useDisableIntrospection()` without `isDisabled`)',
  onParams: ['automatic persisted queries (no extensions)', "yoga's parameter check (what plainParams accepts)"],
  onResultProcess: ["yoga's result processors (a plain result: the media type chosen for the same Accept header)", 'operation-limit status (no errors)'],
} as const;

/**
 * The plugins that act when yoga executes a query or mutation, by hook, in yoga's order. A
 * prepared operation does their work itself (`executePrepared`) instead of through envelop's
 * context factory and execute, whose per-request closures and promise chains (`iterateAsync`,
 * `handleMaybePromise`) allocated about a fifth of a submission's heap. The server refuses to
 * start (`assertPreparedHooksCovered`) when a plugin with one of these hooks, or any plugin with
 * instrumentation, is added or removed without this list changing with it.
 */
export const PreparedExecuteHooks = {
  onContextBuilding: ["the context option (the viewer of the API key, the services, the Idempotency-Key header); a failure is masked (masked errors' context error handler)"],
  onExecute: [
    "yoga's engine (its executor, replaced by the next one)",
    "graphql-js's execute (useGraphQLJsExecute)",
    'API key and rate limit (admit: a refusal is thrown, unmasked)',
    'string guard (stringRefusal: the refusal is the result, unmasked, as it stops execution before the masking hook)',
    'prepared documents (the document is remembered already)',
    "masked errors (every error of the result, through yoga's maskError)",
  ],
  onEnveloped: [],
} as const;

/** Refuses to start a server where a plugin acts on requests in a hook that prepared operations skip or do the work of. */
export function assertPreparedHooksCovered(
  pipeline: Pick<YogaPipeline, 'onRequestParseHooks' | 'onParamsHooks' | 'onResultProcessHooks' | 'onExecutionResultHooks' | 'plugins'>,
  introspection: boolean,
): void {
  const plugins = pipeline.plugins.filter(Boolean) as Record<string, unknown>[];
  const withHook = (hook: string) => plugins.filter((plugin) => plugin[hook] !== undefined);
  const covered = [
    ['onRequestParse', pipeline.onRequestParseHooks, [...PreparedHooks.onRequestParse, ...(introspection ? [] : [PreparedHooks.introspectionSwitch])]],
    ['onParams', pipeline.onParamsHooks, PreparedHooks.onParams],
    ['onResultProcess', pipeline.onResultProcessHooks, PreparedHooks.onResultProcess],
    ['onExecutionResult', pipeline.onExecutionResultHooks, []],
    ['onContextBuilding', withHook('onContextBuilding'), PreparedExecuteHooks.onContextBuilding],
    ['onExecute', withHook('onExecute'), PreparedExecuteHooks.onExecute],
    ['onEnveloped', withHook('onEnveloped'), PreparedExecuteHooks.onEnveloped],
    ['instrumentation', withHook('instrumentation'), []],
  ] as const;
  for (const [hook, acting, known] of covered) {
    if (acting.length !== known.length) {
      throw new Error(`${acting.length} plugins act in ${hook}, prepared operations skip ${known.length} (${known.join(', ') || 'none'}): update src/http/graphql-fast-path.ts`);
    }
  }
}

/** Parameters whose request-parse and params hooks do nothing: a query string, variables as an object, an operation name. */
type PlainParams = { query: string; variables?: Record<string, unknown> | null; operationName?: string | null };

/** Exactly the parameters yoga's parameter check accepts without a persisted-query extension (null values count as absent, as there). */
function plainParams(params: Params): params is PlainParams & Params {
  for (const key in params) {
    const value = params[key];
    if (value === null || value === undefined) continue;
    if (key === 'query') {
      if (typeof value !== 'string') return false;
    } else if (key === 'variables') {
      if (typeof value !== 'object' || Array.isArray(value)) return false;
    } else if (key !== 'operationName' || typeof value !== 'string') return false;
  }
  return typeof params.query === 'string';
}

/** Documents remembered, the oldest dropped first. */
const MAX_PREPARED = 1000;
/** Accept headers remembered with the media type of a plain result. */
const MAX_ACCEPT_VALUES = 100;

/** Documents that yoga's whole pipeline parsed, validated and executed, by their text. */
export class PreparedDocuments {
  readonly #documents = new Map<string, DocumentNode>();

  get(query: string): DocumentNode | undefined {
    return this.#documents.get(query);
  }

  remember(query: string, document: DocumentNode): void {
    if (this.#documents.get(query) === document) return;
    if (this.#documents.size >= MAX_PREPARED) this.#documents.delete(this.#documents.keys().next().value!);
    this.#documents.set(query, document);
  }
}

/**
 * Remembers the document of every query and mutation that reaches execution through yoga's
 * pipeline (parsed and validated with every plugin's rules), by the text it was parsed from.
 */
export function usePreparedDocuments(documents: PreparedDocuments): Plugin {
  return {
    onExecute({ args }) {
      const query = (args.contextValue as { params?: { query?: unknown } } | undefined)?.params?.query;
      if (typeof query === 'string') documents.remember(query, args.document);
    },
  };
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

/** Yoga's `context` option as both paths call it: from the request's headers to the context's own fields. */
export type ContextOption = (initial: { request: { headers: { get(name: string): string | null } } }) => Promise<object> | object;

export interface GraphQLHttpHandler {
  /** Answers a request that reached the GraphQL endpoint's dispatch, directly or through yoga. */
  handle(request: IncomingMessage, response: ServerResponse, pathname: string): void;
  /** Requests answered on the Node request, requests handed to yoga's fetch adapter, and of the first, operations of a prepared document. */
  readonly counts: { direct: number; adapter: number; prepared: number };
}

/** The GraphQL HTTP handler: `POST /graphql` with JSON directly, everything else through yoga. */
export function graphqlHttpHandler(options: {
  /** The yoga instance (`createYoga`'s result), called for everything not answered here. */
  yoga: (request: IncomingMessage, response: ServerResponse, serverContext: { req: IncomingMessage }) => unknown;
  config: Config;
  /** false: every request goes through yoga's fetch adapter (tests compare both paths). */
  direct: boolean;
  log: Log;
  /** Filled by `usePreparedDocuments` among the yoga instance's plugins. */
  prepared: PreparedDocuments;
  /** The yoga instance's `context` option, which prepared operations call themselves. */
  context: ContextOption;
}): GraphQLHttpHandler {
  const { log } = options;
  const pipeline = options.yoga as unknown as YogaPipeline;
  // Uploads (multipart) may be as large as a media file in base64, plus the operation.
  const uploadLimit = Math.ceil((options.config.media.maxBytes * 4) / 3) + 1024 * 1024;
  const counts = { direct: 0, adapter: 0, prepared: 0 };
  assertPreparedHooksCovered(pipeline, options.config.introspection);
  const { prepared } = options;
  // The schema is static (yoga sets it once, at plugin init).
  const schema = pipeline.getEnveloped({}).schema;
  const masking = pipeline.maskedErrorsOpts;
  const mask = (error: unknown) => (masking ? masking.maskError(error, masking.errorMessage) : error);
  const mediaTypes = new Map<string, string>();
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
    const serverContext: Record<string, unknown> = { req: request, res: response, waitUntil };
    const mediaType = mediaTypes.get(request.headers.accept ?? '');
    if (mediaType && plainParams(parsed) && !MayStream.test(parsed.query)) {
      const document = prepared.get(parsed.query);
      if (document && (await answerPrepared(view, parsed, document, serverContext, response, mediaType))) return;
    }
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

  /**
   * A request of a document that yoga's pipeline executed before: envelop's context and execute,
   * then the answer. False, with nothing executed, when there is no operation of that name (yoga
   * words the error).
   */
  async function answerPrepared(
    view: RequestView,
    params: PlainParams & Params,
    document: DocumentNode,
    serverContext: Record<string, unknown>,
    response: ServerResponse,
    mediaType: string,
  ): Promise<boolean> {
    const operation = getOperationAST(document, params.operationName);
    if (!operation || operation.operation === 'subscription') return false;
    serverContext.request = view;
    serverContext.params = params;
    counts.prepared++;
    let result: Result;
    try {
      result = await executePrepared(serverContext, document, params);
    } catch (error) {
      result = { errors: yogaErrors(error, pipeline) };
    }
    if (isPlain(result)) writePlain(result, mediaType, response);
    else await sendResult(view, result, serverContext, response);
    return true;
  }

  /**
   * What envelop's context factory and execute do with yoga's plugins (`PreparedExecuteHooks`),
   * step by step in the same order: the context extended with the `context` option's result
   * (its failure masked), the API key and rate limit, the string guard, graphql-js's execute,
   * and every error of its result masked. A failed context and a refused API key or rate limit
   * are thrown, as there, and worded by the caller as yoga words them.
   */
  async function executePrepared(context: Record<string, unknown>, document: DocumentNode, params: PlainParams): Promise<Result> {
    try {
      Object.assign(context, await options.context(context as { request: RequestView }));
    } catch (error) {
      throw mask(error);
    }
    await admit(context as unknown as Context, document, params.operationName);
    const args = { schema, document, contextValue: context, variableValues: params.variables, operationName: params.operationName };
    const refusal = stringRefusal(args);
    if (refusal) return refusal;
    const result: ExecutionResult = await execute(args);
    return result.errors ? { ...result, errors: result.errors.map(mask) } : result;
  }

  /** A result without errors, written as JSON in `mediaType` with one `res.end`. */
  function writePlain(result: Result, mediaType: string, response: ServerResponse): void {
    counts.direct++;
    const text = (result.stringify ?? JSON.stringify)(result);
    response.writeHead(200, { 'content-type': `${mediaType}; charset=utf-8`, 'content-length': Buffer.byteLength(text) }).end(text);
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
    if (processor !== (processRegularResult as unknown) || !isPlain(result)) {
      counts.direct++;
      return sendResponse(await processor(result, pipeline.fetchAPI, mediaType), response);
    }
    const accept = view.headers.get('accept') ?? '';
    if (!mediaTypes.has(accept) && mediaTypes.size < MAX_ACCEPT_VALUES) mediaTypes.set(accept, mediaType);
    writePlain(result, mediaType, response);
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

/** A result yoga's regular processor would write as it is: no errors, no HTTP status of its own, not a stream. */
function isPlain(result: Result): boolean {
  return !result.errors?.length && !result.extensions?.http && !isAsyncIterable(result);
}

/** `serverContext.waitUntil`: a promise the answer need not wait for, its failure ignored. */
function waitUntil(promise: Promise<unknown>): void {
  promise.catch(() => undefined);
}

/**
 * The errors yoga answers for an error thrown while an operation runs (graphql-yoga 5.24's
 * `handleError`, which it does not export): those of an object with `errors` one by one, none for
 * an aborted request, each other one masked as the `maskedErrors` option says, as a GraphQLError.
 */
function yogaErrors(error: unknown, pipeline: Pick<YogaPipeline, 'maskedErrorsOpts' | 'logger'>): GraphQLError[] {
  const errors = new Set<GraphQLError>();
  const options = pipeline.maskedErrorsOpts;
  if (error !== null && typeof error === 'object' && 'errors' in error) {
    for (const inner of (error as { errors: Iterable<unknown> }).errors) for (const one of yogaErrors(inner, pipeline)) errors.add(one);
  } else if (isAbortError(error)) {
    pipeline.logger.debug('Request aborted');
  } else if (options) {
    const masked = options.maskError(error, options.errorMessage, options.isDev);
    if (masked !== error) pipeline.logger.error(error);
    errors.add(masked instanceof GraphQLError ? masked : createGraphQLError(masked.message, { originalError: masked }));
  } else if (error instanceof GraphQLError) {
    errors.add(error);
  } else if (error instanceof Error) {
    errors.add(createGraphQLError(error.message, { originalError: error }));
  } else {
    errors.add(createGraphQLError(String(error), { extensions: { code: 'INTERNAL_SERVER_ERROR', unexpected: true } }));
  }
  return [...errors];
}

function isAbortError(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof error === 'object' && error?.constructor?.name === 'DOMException' && (name === 'AbortError' || name === 'TimeoutError');
}

/** Hooks are awaited only when they return a promise, as yoga does (no extra microtask otherwise). */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

function isAsyncIterable(value: unknown): boolean {
  return typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}
