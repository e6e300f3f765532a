/**
 * Lightweight WebSocket load for bench/realtime.ts: raw `ws` clients speaking just enough of
 * `graphql-transport-ws` to hold one subscription each (graphql-ws's own client would cost the
 * load generator more per socket), raw clients for the ws baseline, and a tracker that turns
 * deliveries into commit-to-client latencies.
 */
import WebSocket from 'ws';
import { summarize, type Summary } from './lib.js';

/** One published event (a log row or a raw broadcast) and when each expected client got it. */
interface TrackedEvent {
  /** Time the event was published (after COMMIT returned / before the broadcast request). */
  publishedAt: number | undefined;
  expected: number;
  receivedAt: number[];
  settle: () => void;
  settled: Promise<void>;
}

export interface DeliveryStats {
  events: number;
  expectedDeliveries: number;
  deliveries: number;
  /** Expected deliveries that never arrived before the timeout. */
  missing: number;
  /** Deliveries of events nobody was waiting for (duplicates or strays). */
  unexpected: number;
  /** Publish to receipt, every delivery. */
  latencyMs: Summary;
  /** Publish to the last subscriber's receipt, per event. */
  lastDeliveryMs: Summary;
}

/**
 * Matches deliveries to published events by key (a job id, or a broadcast sequence number). Keys
 * must be unique among events in flight; receipt times are kept raw and turned into latencies at
 * the end, so a delivery that races ahead of `published()` is still counted correctly.
 */
export class DeliveryTracker {
  private readonly inFlight = new Map<string, TrackedEvent>();
  private readonly registered: TrackedEvent[] = [];
  private unexpected = 0;

  /** Registers an event before it is published; resolves when every expected client has it. */
  expect(key: string, expected: number): { published: () => void; settled: Promise<void> } {
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const event: TrackedEvent = { publishedAt: undefined, expected, receivedAt: [], settle, settled };
    if (expected === 0) settle();
    else this.inFlight.set(key, event);
    this.registered.push(event);
    return { published: () => (event.publishedAt = performance.now()), settled };
  }

  deliver(key: string, receivedAt: number): void {
    const event = this.inFlight.get(key);
    if (!event) return void this.unexpected++;
    event.receivedAt.push(receivedAt);
    if (event.receivedAt.length >= event.expected) {
      this.inFlight.delete(key);
      event.settle();
    }
  }

  /** Resolves when every registered event has reached all its clients, or after `timeoutMs`. */
  async waitForAll(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.all(this.registered.map((event) => event.settled)), timeout]);
    clearTimeout(timer);
  }

  /** Summarises every event registered since the last collect, then starts over. */
  collect(): DeliveryStats {
    const latencies: number[] = [];
    const lastDeliveries: number[] = [];
    let expectedDeliveries = 0;
    let deliveries = 0;
    for (const event of this.registered) {
      expectedDeliveries += event.expected;
      deliveries += event.receivedAt.length;
      if (event.publishedAt === undefined || event.receivedAt.length === 0) continue;
      for (const receivedAt of event.receivedAt) latencies.push(receivedAt - event.publishedAt);
      lastDeliveries.push(event.receivedAt.reduce((latest, time) => Math.max(latest, time)) - event.publishedAt);
    }
    const stats: DeliveryStats = {
      events: this.registered.length,
      expectedDeliveries,
      deliveries,
      missing: expectedDeliveries - deliveries,
      unexpected: this.unexpected,
      latencyMs: summarize(latencies),
      lastDeliveryMs: summarize(lastDeliveries),
    };
    this.inFlight.clear();
    this.registered.length = 0;
    this.unexpected = 0;
    return stats;
  }
}

export interface LoadClient {
  socket: WebSocket;
  /** Account (Pictor) or group (raw server) index this client belongs to. */
  group: number;
}

const OPEN_TIMEOUT_MS = 30_000;
export const SUBSCRIPTION_QUERY = 'subscription { jobsUpdated { type job { id } } }';

/** Rejects when `socket` fails or closes before `ready` settles, or after OPEN_TIMEOUT_MS. */
function guardOpening(socket: WebSocket, what: string, reject: (error: Error) => void): () => void {
  const timer = setTimeout(() => {
    reject(new Error(`${what}: not ready after ${OPEN_TIMEOUT_MS} ms`));
    socket.terminate();
  }, OPEN_TIMEOUT_MS);
  const onError = (error: Error) => reject(new Error(`${what}: ${error.message}`));
  const onClose = (code: number, reason: Buffer) => reject(new Error(`${what}: closed (${code} ${reason.toString()})`));
  socket.on('error', onError);
  socket.on('close', onClose);
  return () => {
    clearTimeout(timer);
    socket.off('close', onClose);
  };
}

/**
 * A `graphql-transport-ws` client holding one `jobsUpdated` subscription. Resolves once the
 * server acknowledged the connection and the subscribe message is sent (the protocol has no
 * acknowledgement for subscribe: registration is confirmed through /metrics).
 */
export function openPictorSubscriber(url: string, apiKey: string, group: number, tracker: DeliveryTracker, onError: (message: string) => void): Promise<LoadClient> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false });
    const opened = guardOpening(socket, 'pictor subscriber', reject);
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${apiKey}` } })));
    socket.on('message', (data: Buffer) => {
      const receivedAt = performance.now();
      const message = JSON.parse(data.toString('utf8')) as { type: string; payload?: { data?: { jobsUpdated?: { job?: { id?: string } } } } };
      switch (message.type) {
        case 'next': {
          const jobId = message.payload?.data?.jobsUpdated?.job?.id;
          if (jobId) tracker.deliver(jobId, receivedAt);
          else onError(`unexpected payload: ${data.toString('utf8').slice(0, 200)}`);
          return;
        }
        case 'connection_ack':
          socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: SUBSCRIPTION_QUERY } }));
          opened();
          return resolve({ socket, group });
        case 'ping':
          return socket.send('{"type":"pong"}');
        case 'pong':
          return;
        default:
          onError(`${message.type}: ${data.toString('utf8').slice(0, 200)}`);
      }
    });
  });
}

/** A client of bench/raw-ws-server.ts in `group`; messages carry their broadcast sequence number. */
export function openRawClient(baseUrl: string, group: number, tracker: DeliveryTracker): Promise<LoadClient> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${baseUrl}/?group=${group}`, { perMessageDeflate: false });
    const opened = guardOpening(socket, 'raw ws client', reject);
    socket.on('message', (data: Buffer) => {
      const receivedAt = performance.now();
      const message = JSON.parse(data.toString('utf8')) as { seq: number };
      tracker.deliver(`raw-${message.seq}`, receivedAt);
    });
    socket.on('open', () => {
      opened();
      resolve({ socket, group });
    });
  });
}

/**
 * Opens clients `from`..`to - 1` in batches of `batchSize` (all of a batch at once, then the
 * next): a gentle ramp instead of thousands of simultaneous handshakes.
 */
export async function openInBatches(from: number, to: number, batchSize: number, open: (index: number) => Promise<LoadClient>): Promise<LoadClient[]> {
  const clients: LoadClient[] = [];
  for (let start = from; start < to; start += batchSize) {
    const batch = Array.from({ length: Math.min(batchSize, to - start) }, (_, offset) => open(start + offset));
    clients.push(...(await Promise.all(batch)));
  }
  return clients;
}

/** Closes every client with a close handshake; terminates the ones that have not closed in time. */
export async function closeAll(clients: LoadClient[], timeoutMs = 15_000): Promise<void> {
  const closed = clients.map(
    ({ socket }) =>
      new Promise<void>((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close(1000);
      }),
  );
  const timedOut = await Promise.race([Promise.all(closed).then(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(true), timeoutMs))]);
  if (timedOut) for (const { socket } of clients) socket.terminate();
}
