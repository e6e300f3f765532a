/**
 * A lean HTTP/1.1 load-generator connection: one keep-alive TCP socket, one request in flight,
 * the request bytes encoded once by the caller, the response read with a minimal parser
 * (status line, Content-Length or chunked body). On a 2-core machine the load generator shares
 * the cores with the server and PostgreSQL: node:http's client (agent, ClientRequest,
 * IncomingMessage, header objects) cost about 0.07-0.09 ms of CPU per request, a quarter of a
 * core at 3,000 requests/s that the server under test could not use; pgbench, the baseline, is
 * C. This connection costs a fraction of that (see BENCHMARKS.md).
 */
import net from 'node:net';

export interface HttpAnswer {
  status: number;
  body: string;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** The bytes of one request, encoded once and sent as many times as wanted. */
export function encodeRequest(options: { method: string; path: string; host: string; headers: Record<string, string>; body?: string }): Buffer {
  const body = options.body === undefined ? Buffer.alloc(0) : Buffer.from(options.body);
  const lines = [`${options.method} ${options.path} HTTP/1.1`, `Host: ${options.host}`, 'Connection: keep-alive'];
  for (const [name, value] of Object.entries(options.headers)) lines.push(`${name}: ${value}`);
  if (options.body !== undefined) lines.push(`Content-Length: ${body.length}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), body]);
}

/**
 * `clients` keep-alive connections to `POST /graphql` on `port`, each sending `body` with the
 * caller's API key (the bytes of each key's request encoded once).
 */
export function graphqlPosters(port: number, clients: number, body: string): { post: (client: number, key: string) => Promise<HttpAnswer>; close: () => void } {
  const connections = Array.from({ length: clients }, () => new KeepAliveConnection(port));
  const requests = new Map<string, Buffer>();
  const requestFor = (key: string) => {
    let bytes = requests.get(key);
    if (!bytes) {
      const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` };
      requests.set(key, (bytes = encodeRequest({ method: 'POST', path: '/graphql', host: `127.0.0.1:${port}`, headers, body })));
    }
    return bytes;
  };
  return {
    post: (client, key) => connections[client % clients]!.request(requestFor(key)),
    close: () => connections.forEach((connection) => connection.close()),
  };
}

export class KeepAliveConnection {
  private readonly socket: net.Socket;
  private readonly connected: Promise<void>;
  private buffered: Buffer = Buffer.alloc(0);
  private pending: { resolve: (answer: HttpAnswer) => void; reject: (error: Error) => void } | undefined;
  private failure: Error | undefined;

  constructor(port: number, host = '127.0.0.1') {
    this.socket = net.connect({ port, host, noDelay: true });
    this.connected = new Promise((resolve, reject) => {
      this.socket.once('connect', resolve);
      this.socket.once('error', reject);
    });
    this.socket.on('data', (chunk: Buffer) => this.receive(chunk));
    const fail = (error: Error) => {
      this.failure ??= error;
      this.pending?.reject(error);
      this.pending = undefined;
    };
    this.socket.on('error', fail);
    this.socket.on('close', () => fail(new Error('connection closed by the server')));
  }

  async request(bytes: Buffer): Promise<HttpAnswer> {
    await this.connected;
    if (this.failure) throw this.failure;
    if (this.pending) throw new Error('one request at a time per connection');
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(bytes);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const answer = this.parse();
    if (!answer) return;
    const pending = this.pending;
    this.pending = undefined;
    pending?.resolve(answer);
  }

  /** A complete response at the start of the buffer (consumed), or undefined while it is partial. */
  private parse(): HttpAnswer | undefined {
    const headerEnd = this.buffered.indexOf(HEADER_END);
    if (headerEnd < 0) return undefined;
    const head = this.buffered.toString('latin1', 0, headerEnd);
    const status = Number(head.slice(9, 12));
    const bodyStart = headerEnd + 4;
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (length) {
      const end = bodyStart + Number(length[1]);
      if (this.buffered.length < end) return undefined;
      const body = this.buffered.toString('utf8', bodyStart, end);
      this.buffered = this.buffered.subarray(end);
      return { status, body };
    }
    if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) return this.parseChunked(status, bodyStart);
    throw new Error(`response without a length: ${head}`);
  }

  private parseChunked(status: number, bodyStart: number): HttpAnswer | undefined {
    const parts: Buffer[] = [];
    let at = bodyStart;
    for (;;) {
      const lineEnd = this.buffered.indexOf('\r\n', at);
      if (lineEnd < 0) return undefined;
      const size = parseInt(this.buffered.toString('latin1', at, lineEnd), 16);
      const dataStart = lineEnd + 2;
      if (size === 0) {
        // No trailers are sent to this client: the last chunk is followed by one empty line.
        if (this.buffered.length < dataStart + 2) return undefined;
        this.buffered = this.buffered.subarray(dataStart + 2);
        return { status, body: Buffer.concat(parts).toString('utf8') };
      }
      if (this.buffered.length < dataStart + size + 2) return undefined;
      parts.push(this.buffered.subarray(dataStart, dataStart + size));
      at = dataStart + size + 2;
    }
  }
}
