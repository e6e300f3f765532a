import type { ExecutionArgs, ExecutionResult } from 'graphql';
import { CloseCode, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import type { Waker } from '../realtime/log-subscription.js';
import { attachResultWriter, resultPayloadText, sharedResultText, type ParkingSpot, type ResultWriter } from './shared-event-results.js';

/** What each connection keeps besides graphql-ws's own state: its socket (never the upgrade request). */
export interface SocketExtra {
  readonly socket: WebSocket;
}

export interface GraphQLWsOptions {
  /** A ping to each socket every `keepAliveMs`; a socket that has not answered the previous one by then is terminated. */
  keepAliveMs: number;
  /** Errors of handling a message (they close the socket with 1011). */
  onInternalError(error: unknown): void;
  /** Called once for each socket that closed (before graphql-ws hears of it). */
  onClosed?(socket: WebSocket): void;
}

/** Keep-alive groups: a tick every keepAliveMs / KEEP_ALIVE_SLICES pings one of them. */
const KEEP_ALIVE_SLICES = 60;

/** Bytes queued on a socket past which a subscription waits for them to be written before the next result. */
const SEND_HIGH_WATER = 64 * 1024;

/** A `next` message: the envelope per subscriber, the payload text shared by every reader of the same result. */
export function nextMessage(id: string, result: ExecutionResult): string {
  return nextMessageText(id, sharedResultText(result) ?? resultPayloadText(result));
}

function nextMessageText(id: string, payloadText: string): string {
  return `{"id":${JSON.stringify(id)},"type":"next","payload":${payloadText}}`;
}

function send(socket: WebSocket, text: string): Promise<void> | undefined {
  if (socket.readyState !== socket.OPEN) return undefined;
  // A reader that is not keeping up waits for its bytes to leave before it takes the next result
  // (the subscription then queues, and past its capacity reads the log instead).
  if (socket.bufferedAmount < SEND_HIGH_WATER) return void socket.send(text);
  return new Promise((resolve, reject) => socket.send(text, (error) => (error ? reject(error) : resolve())));
}

const DONE: IteratorResult<never> = { value: undefined as never, done: true };

/** Reads a woken writer's results again, a tick later (not inside the fan-out that woke it). */
function readAgain(writer: NextWriter): Promise<void> {
  return writer.read();
}

/**
 * A subscription's results written straight to the socket as `next` messages. graphql-ws keeps the
 * protocol (ids, `complete`, `error`, unsubscribing through `return`); it only sees this iterator
 * end or throw (its one `next()` settles when the subscription does). Writing here is what lets
 * subscribers share one JSON text of a shared result.
 *
 * Once graphql-ws reads it, the writer also offers itself to the subscription's source as a
 * `ResultWriter`: live events then reach the socket straight from the hub's fan-out. Whatever the
 * fast path does not take still comes through `results` (in order, see
 * `LogSubscription.attachSink`). While the source is idle the writer is parked: no call is
 * suspended down the iterator chain (plugins' result mappers, the shared-result mapper, the
 * source) nor in this writer, only graphql-ws's wait for the end. The source wakes it when it has
 * something for `results`; it reads until the source is idle again and parks once more.
 */
class NextWriter implements AsyncIterableIterator<never>, ResultWriter, Waker {
  /** Settles when the subscription ends: what graphql-ws waits on. */
  private ended: Promise<IteratorResult<never>> | undefined;
  private finish!: (result: IteratorResult<never>) => void;
  private fail!: (error: unknown) => void;
  /** Where this writer parks while its source is idle (fast path only). */
  private spot: ParkingSpot | undefined;
  private closed = false;

  constructor(
    private readonly results: AsyncIterator<ExecutionResult>,
    private readonly socket: WebSocket,
    private readonly id: string,
    private readonly args: ExecutionArgs,
  ) {}

  writeNext(payloadText: string): boolean {
    const socket = this.socket;
    // A closed socket takes nothing, as `send` does; a backed-up one leaves the result to `next()`.
    if (socket.readyState !== socket.OPEN) return true;
    if (socket.bufferedAmount >= SEND_HIGH_WATER) return false;
    socket.send(nextMessageText(this.id, payloadText));
    return true;
  }

  next(): Promise<IteratorResult<never>> {
    if (this.ended === undefined) {
      this.ended = new Promise((resolve, reject) => {
        this.finish = resolve;
        this.fail = reject;
      });
      // Only now: graphql-ws reads an operation's results once the operation is still wanted.
      this.spot = attachResultWriter(this.args, this);
      void this.read();
    }
    return this.ended;
  }

  /** Reads and writes results until the source is idle (then parks) or the stream ends. */
  async read(): Promise<void> {
    try {
      for (;;) {
        if (this.closed) return this.finish(DONE);
        const spot = this.spot;
        if (spot?.idle()) return spot.park(this);
        const step = await this.results.next();
        if (step.done) return this.finish(DONE);
        // Waits only for a reader that is not keeping up (no extra tick per message otherwise).
        const written = send(this.socket, nextMessage(this.id, step.value));
        if (written) await written;
      }
    } catch (error) {
      this.fail(error);
    }
  }

  wake(): void {
    void Promise.resolve(this).then(readAgain);
  }

  async return(): Promise<IteratorResult<never>> {
    this.closed = true;
    await this.results.return?.();
    return DONE;
  }

  async throw(error: unknown): Promise<IteratorResult<never>> {
    this.closed = true;
    await this.results.return?.();
    throw error;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<never> {
    return this;
  }
}

/**
 * A socket's connection, kept on the socket itself rather than in a WeakMap: no ephemeron table of
 * every open socket (and everything its connection holds) for each major GC to process.
 */
const CONNECTION = Symbol('graphql-ws connection');
type ConnectedSocket = WebSocket & { [CONNECTION]?: Connection };

/** The socket as graphql-ws's server sees it. */
class Connection {
  readonly protocol: string;
  private handle: ((data: string) => Promise<void>) | undefined;
  closed: ((code: number, reason: string) => Promise<void>) | undefined;

  constructor(
    private readonly socket: WebSocket,
    /** Keep-alive group. */
    readonly group: number,
    private readonly onInternalError: (error: unknown) => void,
  ) {
    this.protocol = socket.protocol;
  }

  send(data: string): Promise<void> | undefined {
    return send(this.socket, data);
  }

  close(code?: number, reason?: string): void {
    this.socket.close(code, reason);
  }

  onMessage(handle: (data: string) => Promise<void>): void {
    this.handle = handle;
  }

  receive(data: string): void {
    this.handle?.(data).catch((error: unknown) => {
      this.onInternalError(error);
      this.socket.close(CloseCode.InternalServerError, 'Internal server error');
    });
  }
}

/**
 * graphql-ws over a `ws` server: the protocol is graphql-ws's (`makeServer`); this is the socket
 * glue. Unlike graphql-ws's own `useServer`, connections keep no upgrade request, one timer pings
 * every socket, and subscription results are written by `NextWriter` (see `nextMessage`).
 */
export function serveGraphQLWs<P extends Record<string, unknown>, E extends Record<PropertyKey, unknown>>(
  webSockets: WebSocketServer,
  serverOptions: ServerOptions<P, SocketExtra & E>,
  options: GraphQLWsOptions,
): { dispose(): Promise<void> } {
  // The wait for `connection_init` is kept here, not by graphql-ws: its timer per connection stays
  // referenced (cleared) for as long as the connection lives. Checked on each keep-alive tick.
  const initWaitMs = serverOptions.connectionInitWaitTimeout ?? 3_000;
  const awaitingInit = new Map<WebSocket, number>();
  const server = makeServer<P, SocketExtra & E>({
    ...serverOptions,
    connectionInitWaitTimeout: 0,
    onConnect: (context) => {
      awaitingInit.delete(context.extra.socket);
      return serverOptions.onConnect?.(context);
    },
    onOperation: async (context, id, payload, args, result) => {
      const replaced = await serverOptions.onOperation?.(context, id, payload, args, result);
      const operationResult = replaced ?? result;
      if (!(Symbol.asyncIterator in operationResult)) return replaced;
      return new NextWriter(operationResult[Symbol.asyncIterator](), context.extra.socket, id, args);
    },
  });
  webSockets.options.handleProtocols = handleProtocols;

  // Keep-alive: one timer; each tick pings one of KEEP_ALIVE_SLICES groups of sockets, so pinging
  // 10,000 sockets is spread over the interval instead of one long stall. A socket whose previous
  // ping (a whole interval ago) has not been answered is dead.
  const groups = Array.from({ length: KEEP_ALIVE_SLICES }, () => new Set<WebSocket>());
  const awaitingPong = new Set<WebSocket>();
  let joined = 0;
  let tick = 0;
  function answered(this: WebSocket): void {
    awaitingPong.delete(this);
  }
  const keepAlive = setInterval(() => {
    const now = performance.now();
    for (const [socket, deadline] of awaitingInit) {
      // Oldest first: the first one still in time ends the check.
      if (deadline > now) break;
      awaitingInit.delete(socket);
      socket.close(CloseCode.ConnectionInitialisationTimeout, 'Connection initialisation timeout');
    }
    for (const socket of groups[tick++ % KEEP_ALIVE_SLICES]!) {
      if (awaitingPong.has(socket)) socket.terminate();
      else if (socket.readyState === socket.OPEN) {
        awaitingPong.add(socket);
        socket.ping();
      }
    }
  }, options.keepAliveMs / KEEP_ALIVE_SLICES);
  keepAlive.unref();

  // One set of listeners for every socket (`this` is the socket): an idle connection holds no
  // closures. `on`, not `once`: `once` wraps each listener in a bound function and a state object
  // per socket, and `ws` emits `close` once anyway (`failed` may run twice: closing twice is harmless).
  function failed(this: WebSocket, error: Error): void {
    options.onInternalError(error);
    this.close(CloseCode.InternalServerError, 'Internal server error');
  }
  function received(this: WebSocket, data: RawData): void {
    (this as ConnectedSocket)[CONNECTION]?.receive(String(data));
  }
  function closed(this: WebSocket, code: number, reason: Buffer): void {
    awaitingPong.delete(this);
    awaitingInit.delete(this);
    const connection = (this as ConnectedSocket)[CONNECTION];
    groups[connection?.group ?? 0]!.delete(this);
    options.onClosed?.(this);
    void connection?.closed?.(code, String(reason));
  }

  webSockets.on('connection', (socket: WebSocket) => {
    const connection = new Connection(socket, joined++ % KEEP_ALIVE_SLICES, options.onInternalError);
    groups[connection.group]!.add(socket);
    (socket as ConnectedSocket)[CONNECTION] = connection;
    socket.on('error', failed);
    socket.on('pong', answered);
    socket.on('message', received);
    socket.on('close', closed);
    if (initWaitMs > 0 && Number.isFinite(initWaitMs)) awaitingInit.set(socket, performance.now() + initWaitMs);
    connection.closed = server.opened(connection, { socket } as SocketExtra & E);
  });

  return {
    async dispose() {
      clearInterval(keepAlive);
      for (const socket of webSockets.clients) socket.close(1001, 'Going away');
      webSockets.removeAllListeners();
      await new Promise<void>((resolve, reject) => webSockets.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
