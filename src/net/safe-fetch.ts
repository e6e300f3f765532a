import dns from 'node:dns/promises';
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { PictorError } from '../errors.js';
import { blockedReason } from './ip-address.js';

/**
 * The one way Pictor fetches a URL a user (or an upstream) gave it, guarded against SSRF:
 * every hop's host is resolved once, every resolved address must be public (see ip-address.ts),
 * and the connection goes to exactly the address that was checked, so a DNS answer that changes
 * between check and connect (rebinding) cannot reach an internal address. Redirects are followed
 * by hand and each target is checked the same way. Size and time are capped.
 */

export const FetchErrorCodes = {
  /** The URL (scheme, credentials, or an address it resolves to) may not be fetched. */
  urlNotAllowed: 'URL_NOT_ALLOWED',
  /** DNS, connection, TLS, HTTP status, redirect loop or time limit. */
  fetchFailed: 'MEDIA_FETCH_FAILED',
  /** The body is larger than `maxBytes`. */
  tooLarge: 'MEDIA_TOO_LARGE',
} as const;
export type FetchErrorCode = (typeof FetchErrorCodes)[keyof typeof FetchErrorCodes];

export class SafeFetchError extends PictorError {
  declare readonly code: FetchErrorCode;
  /** HTTP status of the refused answer, when there was one. */
  readonly status: number | undefined;

  constructor(code: FetchErrorCode, message: string, options: { retryable?: boolean; status?: number; cause?: unknown } = {}) {
    super(code, message, options);
    this.status = options.status;
  }
}

export interface ResolvedAddress {
  readonly address: string;
  /** 4 or 6 */
  readonly family: number;
}

/** Host name -> addresses. The system resolver by default; tests pass their own. */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export interface SafeFetchOptions {
  /** Largest body accepted; a larger one fails with MEDIA_TOO_LARGE without being read in full. */
  readonly maxBytes: number;
  /** Time limit of the whole fetch, redirects included. */
  readonly timeoutMs: number;
  /** The caller's cancellation (job cancel, shutdown); its reason is rethrown as is. */
  readonly signal?: AbortSignal | undefined;
  /** Lifts the address rule (ALLOW_PRIVATE_URLS): development and tests only. */
  readonly allowPrivate?: boolean | undefined;
  /** Redirects followed before giving up (default 5). */
  readonly maxRedirects?: number | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly resolve?: Resolver | undefined;
  /** Replaces the public-address rule (tests that need one loopback address to count as public). */
  readonly isAllowedAddress?: ((address: string) => boolean) | undefined;
}

export interface SafeFetchResponse {
  /** The URL that answered, after redirects. */
  readonly url: string;
  readonly status: number;
  /** Declared type; never trusted for validation (see src/media/validate.ts). */
  readonly contentType: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly bytes: Uint8Array;
}

/** `safeFetch` with deployment defaults bound; what the media code and job runner receive. */
export type Fetcher = (url: string, options?: Partial<SafeFetchOptions>) => Promise<SafeFetchResponse>;

export function createFetcher(defaults: SafeFetchOptions): Fetcher {
  return (url, options = {}) => safeFetch(url, { ...defaults, ...options });
}

const systemResolver: Resolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });
const RedirectStatuses = new Set([301, 302, 303, 307, 308]);

export async function safeFetch(url: string, options: SafeFetchOptions): Promise<SafeFetchResponse> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const maxRedirects = options.maxRedirects ?? 5;
  try {
    let target = checkUrl(url);
    for (let redirects = 0; ; redirects += 1) {
      const address = await resolveAllowed(target, options);
      signal.throwIfAborted();
      const response = await send(target, address, options.headers ?? {}, signal);
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (RedirectStatuses.has(status) && location) {
        response.destroy();
        if (redirects >= maxRedirects) throw new SafeFetchError(FetchErrorCodes.fetchFailed, `More than ${maxRedirects} redirects`, { status });
        target = checkUrl(new URL(location, target).toString());
        continue;
      }
      if (status < 200 || status > 299) {
        response.destroy();
        const retryable = status >= 500 || status === 429 || status === 408;
        throw new SafeFetchError(FetchErrorCodes.fetchFailed, `${target.origin} answered HTTP ${status}`, { status, retryable });
      }
      const bytes = await readBody(response, options.maxBytes);
      return { url: target.toString(), status, contentType: response.headers['content-type'], headers: response.headers, bytes };
    }
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (error instanceof SafeFetchError) throw error;
    if (deadline.aborted) throw new SafeFetchError(FetchErrorCodes.fetchFailed, `Fetching the URL took longer than ${options.timeoutMs} ms`, { retryable: true, cause: error });
    const cause = error as NodeJS.ErrnoException;
    const detail = cause.code ? `${cause.code}: ${cause.message}` : String(cause.message ?? cause);
    throw new SafeFetchError(FetchErrorCodes.fetchFailed, `Could not fetch the URL (${detail})`, { retryable: cause.code !== 'ENOTFOUND', cause: error });
  }
}

/** Only http(s) without embedded credentials; anything else is refused before any network use. */
function checkUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SafeFetchError(FetchErrorCodes.urlNotAllowed, 'Not a valid URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new SafeFetchError(FetchErrorCodes.urlNotAllowed, `Only http and https URLs can be fetched, not ${parsed.protocol}`);
  if (parsed.username || parsed.password) throw new SafeFetchError(FetchErrorCodes.urlNotAllowed, 'URLs with credentials are not fetched');
  return parsed;
}

/** Resolves the host once; every answer must pass, and the first is the one connected to. */
async function resolveAllowed(target: URL, options: SafeFetchOptions): Promise<ResolvedAddress> {
  const hostname = target.hostname.replace(/^\[|\]$/g, '');
  const family = isIP(hostname);
  let addresses: readonly ResolvedAddress[];
  if (family !== 0) {
    addresses = [{ address: hostname, family }];
  } else {
    try {
      addresses = await (options.resolve ?? systemResolver)(hostname);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new SafeFetchError(FetchErrorCodes.fetchFailed, `Could not resolve ${hostname}${code ? ` (${code})` : ''}`, { retryable: code === 'EAI_AGAIN', cause: error });
    }
    if (addresses.length === 0) throw new SafeFetchError(FetchErrorCodes.fetchFailed, `${hostname} has no address`);
  }
  if (!options.allowPrivate) {
    for (const candidate of addresses) {
      const allowed = options.isAllowedAddress ? options.isAllowedAddress(candidate.address) : blockedReason(candidate.address) === undefined;
      if (!allowed) {
        const reason = blockedReason(candidate.address) ?? 'not allowed';
        throw new SafeFetchError(FetchErrorCodes.urlNotAllowed, `${target.host} resolves to a ${reason} address; Pictor only fetches public addresses`);
      }
    }
  }
  return addresses[0]!;
}

function send(target: URL, resolved: ResolvedAddress, headers: Readonly<Record<string, string>>, signal: AbortSignal): Promise<IncomingMessage> {
  // Hand the socket the checked address instead of letting it resolve the name again. The Host
  // header and TLS name (SNI, certificate check) still come from the URL.
  const lookup: LookupFunction = (_hostname, lookupOptions, callback) => {
    if (lookupOptions.all) (callback as (error: null, addresses: ResolvedAddress[]) => void)(null, [resolved]);
    else callback(null, resolved.address, resolved.family);
  };
  const transport = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(
      target,
      // No shared agent: a pooled socket could belong to another (unchecked) resolution.
      { method: 'GET', agent: false, lookup, signal, headers: { 'user-agent': 'Pictor', accept: 'image/*', ...headers } },
      resolve,
    );
    request.on('error', reject);
    request.end();
  });
}

async function readBody(response: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers['content-length']);
  const tooLarge = () => new SafeFetchError(FetchErrorCodes.tooLarge, `The file is larger than the limit of ${maxBytes} bytes`);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      response.destroy();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}
