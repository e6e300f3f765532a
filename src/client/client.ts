import { createClient, type Client } from 'graphql-ws';
import { fromGraphQLErrors, PictorError } from './errors.js';
import type { TypedDocumentString } from './gql/graphql.js';
import type {
  ClientCancelJobMutation,
  ClientGenerateMutation,
  ClientGenerateWithParamsMutation,
  ClientJobQuery,
  ClientModelsQuery,
  GenerateImageInput,
  GenerateImageWithParamsInput,
} from './gql/graphql.js';
import { CancelJobMutation, GenerateMutation, GenerateWithParamsMutation, JobQuery, ModelsQuery } from './operations.js';
import { watchJob, type JobUpdate, type WatchJobOptions } from './watch-job.js';

export type Job = NonNullable<ClientJobQuery['job']>;
export type Model = ClientModelsQuery['models'][number];
export type GenerateResult = ClientGenerateMutation['generateImage'];

/** What `POST /v1/media` answers: an uploaded picture to pass as `references: [{ mediaId }]`. */
export interface Media {
  id: string;
  /** Signed, expiring URL of the stored bytes. */
  url: string;
  width: number;
  height: number;
  /** The GraphQL `ImageFormat` name. */
  format: 'PNG' | 'JPEG' | 'WEBP';
  bytes: number;
  sha256: string;
  thumbhash: string;
  /** The GraphQL `MediaSource` name. */
  source: 'UPLOAD' | 'URL' | 'DATA_URL';
  createdAt: string;
  expiresAt: string | null;
}

export interface PictorClientOptions {
  /** The server (`https://pictor.example.com`) or its GraphQL endpoint (`.../graphql`). */
  url: string;
  /** Sent as `Authorization: Bearer <apiKey>` over HTTP and in the WebSocket connection parameters. */
  apiKey: string;
  /** WebSocket implementation where there is no global one (Node 20: `import WebSocket from 'ws'`). */
  webSocketImpl?: unknown;
  fetch?: typeof fetch;
}

export interface PictorClient {
  models(): Promise<Model[]>;
  job(id: string): Promise<Job | null>;
  /** Starts a job with the typed per-model input; expected refusals (validation, credits) are returned, not thrown. */
  generate(input: GenerateImageInput): Promise<GenerateResult>;
  /** Starts a job by model id with raw parameter values (what a form built from `parametersJsonSchema` produces). */
  generateWithParams(input: GenerateImageWithParamsInput): Promise<ClientGenerateWithParamsMutation['generateImageWithParams']>;
  cancelJob(id: string): Promise<ClientCancelJobMutation['cancelJob']>;
  /** Uploads a picture to `POST /v1/media`. */
  uploadMedia(file: Blob, filename?: string): Promise<Media>;
  /** Every update of a job over graphql-ws, resumed with the last cursor after a dropped connection. */
  watchJob(id: string, options?: WatchJobOptions): AsyncGenerator<JobUpdate, void, undefined>;
  /** Closes the WebSocket. */
  dispose(): Promise<void>;
}

/** A typed client of one Pictor server, for browsers and Node. */
export function createPictorClient(options: PictorClientOptions): PictorClient {
  const base = options.url.replace(/\/+$/, '').replace(/\/graphql$/, '');
  const endpoint = `${base}/graphql`;
  const authorization = `Bearer ${options.apiKey}`;
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  let socket: Client | undefined;
  const webSocket = () =>
    (socket ??= createClient({
      url: endpoint.replace(/^http/, 'ws'),
      connectionParams: { authorization },
      ...(options.webSocketImpl ? { webSocketImpl: options.webSocketImpl } : {}),
      lazy: true,
      // watchJob reconnects itself, with the cursor: graphql-ws would resubscribe from the start.
      retryAttempts: 0,
    }));

  async function request<Result, Variables>(document: TypedDocumentString<Result, Variables>, variables?: Variables): Promise<Result> {
    let response: Response;
    try {
      response = await fetchImpl(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', authorization },
        body: JSON.stringify({ query: String(document), variables: variables ?? {} }),
      });
    } catch (error) {
      throw new PictorError('NETWORK', `Could not reach Pictor at ${endpoint}: ${(error as Error)?.message ?? error}`);
    }
    const body = (await response.json().catch(() => undefined)) as { data?: Result | null; errors?: { message?: unknown; extensions?: { code?: unknown } }[] } | undefined;
    if (!body) throw new PictorError('NETWORK', `Pictor answered HTTP ${response.status} without a GraphQL body`, response.status);
    if (body.errors?.length) throw fromGraphQLErrors(body.errors, response.status);
    if (!body.data) throw new PictorError('GRAPHQL_ERROR', 'The response carried no data', response.status);
    return body.data;
  }

  return {
    models: async () => (await request(ModelsQuery)).models,
    job: async (id) => (await request(JobQuery, { id })).job ?? null,
    generate: async (input) => (await request(GenerateMutation, { input })).generateImage,
    generateWithParams: async (input) => (await request(GenerateWithParamsMutation, { input })).generateImageWithParams,
    cancelJob: async (id) => (await request(CancelJobMutation, { id })).cancelJob,
    async uploadMedia(file, filename = 'image') {
      const form = new FormData();
      form.append('file', file, filename);
      const response = await fetchImpl(`${base}/v1/media`, { method: 'POST', headers: { authorization }, body: form });
      const body = (await response.json().catch(() => undefined)) as (Media & { error?: { code: string; message: string } }) | undefined;
      if (!response.ok || !body || body.error) {
        throw new PictorError(body?.error?.code ?? 'NETWORK', body?.error?.message ?? `Upload failed with HTTP ${response.status}`, response.status);
      }
      return body;
    },
    watchJob: (id, watchOptions) => watchJob(webSocket(), id, watchOptions),
    async dispose() {
      await socket?.dispose();
      socket = undefined;
    },
  };
}
