import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Node's request/response to the WHATWG Request/Response the REST handlers speak, and back.
 * Bodies are read up to a limit (the rest is never read); response bodies are streamed, so
 * server-sent events reach the client as they are written. The request's signal fires when the
 * client goes away, which ends waits and streams.
 */

/** A WHATWG Request over an already-read body. Headers are copied as sent (never lower-cased values: multipart boundaries are case-sensitive). */
export function toFetchRequest(request: IncomingMessage, url: URL, body: Uint8Array<ArrayBuffer> | undefined, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const method = request.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD' && body !== undefined && body.byteLength > 0;
  return new Request(url, { method, headers, signal, ...(hasBody ? { body } : {}) });
}

/** Writes a WHATWG Response, streaming its body chunk by chunk. */
export async function sendFetchResponse(response: ServerResponse, result: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  result.headers.forEach((value, name) => {
    headers[name] = value;
  });
  response.writeHead(result.status, headers);
  if (!result.body) return void response.end();
  // Headers go out at once, so an SSE client sees the stream open before the first event.
  response.flushHeaders();
  const reader = result.body.getReader();
  response.once('close', () => void reader.cancel().catch(() => undefined));
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!response.write(value)) await new Promise<void>((resolve) => response.once('drain', resolve));
  }
  response.end();
}
