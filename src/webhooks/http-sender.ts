import dns from 'node:dns/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { coerceError } from '../errors.js';
import { blockedReason } from '../net/ip-address.js';

/**
 * POSTs one signed webhook with the same SSRF guard as media imports (`src/net/safe-fetch.ts`,
 * whose fetcher only GETs): the host is resolved once, every address must be public unless
 * ALLOW_PRIVATE_URLS, and the socket connects to exactly the checked address, so DNS rebinding
 * cannot reach an internal one. Redirects are not followed (a 3xx is a failed attempt, as
 * receivers must answer 2xx). The whole exchange is capped by `timeoutMs`.
 */

/** What one attempt came to; never throws. */
export type SendOutcome =
  /** The receiver answered (any status). */
  | { readonly kind: 'response'; readonly status: number; readonly latencyMs: number }
  /** The URL or an address it resolves to is not allowed: not sent at all. */
  | { readonly kind: 'refused'; readonly message: string }
  /** DNS, connection, TLS or timeout: retried. */
  | { readonly kind: 'error'; readonly message: string; readonly latencyMs: number }
  /** The caller's signal fired (shutdown): the attempt does not count. */
  | { readonly kind: 'aborted' };

export interface SendRequest {
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface SendOptions {
  readonly timeoutMs: number;
  /** ALLOW_PRIVATE_URLS: development and tests only. */
  readonly allowPrivate: boolean;
  readonly signal?: AbortSignal | undefined;
}

/** The network edge of the dispatcher; tests and integrators may pass another. */
export type WebhookSender = (request: SendRequest, options: SendOptions) => Promise<SendOutcome>;

interface Address {
  readonly address: string;
  readonly family: number;
}

/** Bytes of the receiver's answer read before the connection is dropped (the body is not kept). */
const MAX_RESPONSE_BYTES = 64 * 1024;

export const sendWebhook: WebhookSender = async (request, options) => {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  let target: URL;
  try {
    target = new URL(request.url);
  } catch {
    return { kind: 'refused', message: 'not a valid URL' };
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') return { kind: 'refused', message: `${target.protocol} URLs are not delivered to` };
  if (target.username || target.password) return { kind: 'refused', message: 'URLs with credentials are not delivered to' };
  try {
    const resolved = await resolveAllowed(target, options.allowPrivate);
    if ('refused' in resolved) return { kind: 'refused', message: resolved.refused };
    signal.throwIfAborted();
    const status = await post(target, resolved, request, signal);
    return { kind: 'response', status, latencyMs: elapsed() };
  } catch (error) {
    if (options.signal?.aborted) return { kind: 'aborted' };
    if (deadline.aborted) return { kind: 'error', message: `no answer within ${options.timeoutMs} ms`, latencyMs: elapsed() };
    const cause = error as NodeJS.ErrnoException;
    return { kind: 'error', message: cause.code ? `${cause.code}: ${cause.message}` : coerceError(error).message, latencyMs: elapsed() };
  }
};

async function resolveAllowed(target: URL, allowPrivate: boolean): Promise<Address | { refused: string }> {
  const hostname = target.hostname.replace(/^\[|\]$/g, '');
  const family = isIP(hostname);
  const addresses: readonly Address[] = family !== 0 ? [{ address: hostname, family }] : await dns.lookup(hostname, { all: true, verbatim: true });
  if (addresses.length === 0) throw new Error(`${hostname} has no address`);
  if (!allowPrivate) {
    for (const candidate of addresses) {
      const reason = blockedReason(candidate.address);
      if (reason) return { refused: `${target.host} resolves to a ${reason} address; webhooks are only sent to public addresses` };
    }
  }
  return addresses[0]!;
}

function post(target: URL, resolved: Address, request: SendRequest, signal: AbortSignal): Promise<number> {
  // The socket gets the checked address instead of resolving the name again; Host and TLS
  // name (SNI, certificate check) still come from the URL.
  const lookup: LookupFunction = (_hostname, lookupOptions, callback) => {
    if (lookupOptions.all) (callback as (error: null, addresses: Address[]) => void)(null, [resolved]);
    else callback(null, resolved.address, resolved.family);
  };
  const transport = target.protocol === 'https:' ? https : http;
  const body = Buffer.from(request.body);
  return new Promise((resolve, reject) => {
    const outgoing = transport.request(
      target,
      {
        method: 'POST',
        // No shared agent: a pooled socket could belong to another (unchecked) resolution.
        agent: false,
        lookup,
        signal,
        headers: { 'user-agent': 'Pictor-Webhooks', ...request.headers, 'content-length': String(body.byteLength) },
      },
      (response: IncomingMessage) => {
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.byteLength;
          if (read > MAX_RESPONSE_BYTES) response.destroy();
        });
        response.on('end', () => resolve(response.statusCode ?? 0));
        // A receiver that answers and then drops or floods the body still answered.
        response.on('close', () => resolve(response.statusCode ?? 0));
        response.on('error', () => resolve(response.statusCode ?? 0));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
