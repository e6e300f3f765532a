import type { Sql } from '../db/client.js';
import { coerceError } from '../errors.js';
import { Loop } from '../loop.js';
import type { Log } from '../log.js';
import { claimDeliveries, type ClaimedDelivery } from './claim-deliveries.js';
import { pruneDeliveries } from './deliveries.js';
import { decideDelivery, finishDelivery, type DeliveryResult } from './finish-delivery.js';
import { sendWebhook, type WebhookSender } from './http-sender.js';
import { WebhookMetrics } from './metrics.js';
import type { ImageUrl } from './payload.js';
import type { SecretBox } from './secret-box.js';
import { planDeliveries, skipUntargetedEvents } from './plan-deliveries.js';
import { signWebhook } from './signing.js';

export interface WebhookDispatcherOptions {
  /** Attempts in flight at once in this process. */
  concurrency: number;
  /** Idle interval between passes; `notify()` and NOTIFY on new jobs cut it short. */
  pollMs: number;
  /** Limit of one attempt (connect, send, answer). */
  timeoutMs: number;
  /** Delays before each retry; its length + 1 is the number of attempts. */
  retryScheduleMs: readonly number[];
  /** ALLOW_PRIVATE_URLS. */
  allowPrivate: boolean;
  /** Finished deliveries older than this are deleted (0 keeps them). */
  deliveryTtlSeconds: number;
  /** On stop, how long attempts in flight may finish before they are handed back. */
  shutdownGraceMs: number;
  /** Log events turned into deliveries per pass. */
  batchSize?: number;
}

export interface WebhookDispatcherDependencies {
  sql: Sql;
  imageUrl: ImageUrl;
  /** Opens the sealed signing secrets (and seals the ones it creates). */
  secretBox: SecretBox;
  log: Log;
  /** The network edge (default: the SSRF-guarded POST of http-sender.ts). */
  send?: WebhookSender;
}

type DispatcherState = 'created' | 'active' | 'stopping' | 'stopped';

const PRUNE_INTERVAL_MS = 60 * 60 * 1000;
/** Re-looks while events are held back by an older open transaction: 10, 20, 40 ... 200 ms. */
const HeldRelookMs = { first: 10, max: 200 } as const;
/**
 * After a pass that only moved past events no webhook wants (or found none readable yet), the next
 * wake-up by new events runs this much later at the earliest. Under load most passes are such (a transaction and a commit
 * each, 0.74 ms of PostgreSQL per pass, about one per 2.7 jobs at 300 jobs/s); this makes one pass
 * of every burst of events. At low load events come further apart and nothing waits; at most this
 * is added to a targeted event's delivery.
 */
export const SKIP_COALESCE_MS = 20;

/**
 * Runs in worker processes. Each pass (1) turns new `job_events` into `webhook_deliveries`
 * rows (one dispatcher at a time holds the durable cursor; see plan-deliveries.ts), then (2)
 * claims due deliveries with SKIP LOCKED and sends them, up to `concurrency` at once. Every
 * step's state is in PostgreSQL, so a process that dies loses nothing: its cursor transaction
 * rolls back and its in-flight attempts are claimed again when their lease runs out.
 */
export class WebhookDispatcher {
  readonly metrics = new WebhookMetrics();
  private state: DispatcherState = 'created';
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly shutdown = new AbortController();
  private readonly loop: Loop;
  private timers: NodeJS.Timeout[] = [];
  private readonly send: WebhookSender;
  /**
   * Set when a delivery may have become due since the last claim: one was planned or replayed,
   * an attempt ended (the next of its chain may be waiting), or the last claim filled every slot.
   * Most passes are woken by job events that plan nothing; they skip the claim statement. Deliveries
   * that fall due by time alone (retries, expired leases) are found by the idle pass every `pollMs`,
   * as before: a pass claims whenever the last claim is older than half of it (a timer may fire a
   * little early).
   */
  private deliveriesMayBeDue = true;
  private lastClaimAt = 0;
  /**
   * While an older open transaction holds events back (see `SkipResult.held`), the dispatcher looks
   * again by itself: after `HeldRelookMs.first`, then twice as long each time, at most `max` (or
   * `pollMs` when shorter). Nothing else would wake it when that transaction ends.
   */
  private relook: NodeJS.Timeout | undefined;
  private relookMs = 0;

  constructor(
    private readonly options: WebhookDispatcherOptions,
    private readonly deps: WebhookDispatcherDependencies,
  ) {
    this.send = deps.send ?? sendWebhook;
    this.loop = new Loop({
      name: 'Webhook dispatcher',
      intervalMs: options.pollMs,
      backoff: { initialMs: 100, maxMs: 5000 },
      pass: () => this.pass(),
      onError: (error, failures) => {
        if (failures === 1 || failures % 20 === 0) deps.log('warn', 'webhook dispatcher pass failed; retrying', { failures, error: error.message });
      },
      onRecovered: (failures) => deps.log('info', 'webhook dispatcher recovered', { failures }),
    });
  }

  /** Attempts running now. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** An attempt's lease: past it, a delivery whose worker vanished is claimed again. */
  private get leaseMs(): number {
    return this.options.timeoutMs * 2 + 1000;
  }

  async start(): Promise<void> {
    if (this.state !== 'created') throw new Error(`Webhook dispatcher cannot start from state ${this.state}`);
    this.state = 'active';
    this.timers.push(setInterval(() => void this.prune(), PRUNE_INTERVAL_MS));
    this.loop.start();
  }

  /**
   * Something was probably just logged: run a pass now, or `SKIP_COALESCE_MS` after the last pass
   * when that one only moved past events no webhook wants. The process calls it when the database
   * announces new job events (src/jobs/wake-ups.ts).
   */
  notify(): void {
    this.loop.notifySoon();
  }

  /**
   * Deliveries were queued (the database announces them, see wake-ups.ts): claim at the next pass,
   * which runs now.
   */
  notifyDeliveries(): void {
    this.deliveriesMayBeDue = true;
    this.loop.notify();
  }

  /** Plans deliveries for new events, then claims due ones; true while either found a full batch. */
  private async pass(): Promise<boolean> {
    let busy = false;
    const batchSize = this.options.batchSize ?? 500;
    // Most events have no webhook to go to: one statement moves past them; the others are planned.
    const next = await skipUntargetedEvents(this.deps.sql, batchSize);
    this.metrics.skipStatements++;
    this.lookAgainWhile(next.held);
    if (next.kind === 'skipped') busy = next.events >= batchSize;
    // Nothing for a webhook in this pass (or nothing readable yet): the next wake-up by new events may wait.
    this.loop.quietFor(next.kind !== 'targeted' && !busy ? SKIP_COALESCE_MS : 0);
    if (next.kind === 'targeted') {
      const planned = await planDeliveries(this.deps.sql, { batchSize, imageUrl: this.deps.imageUrl, secretBox: this.deps.secretBox });
      this.metrics.created += planned.created;
      this.metrics.superseded += planned.superseded;
      busy = planned.events >= batchSize;
      if (planned.created > 0) this.deliveriesMayBeDue = true;
    }
    const free = this.options.concurrency - this.inFlight.size;
    if (free > 0 && (this.deliveriesMayBeDue || Date.now() - this.lastClaimAt >= this.options.pollMs / 2)) {
      // Cleared before the claim: a wake-up during it sets it again for the next pass.
      this.deliveriesMayBeDue = false;
      this.lastClaimAt = Date.now();
      const claimed = await claimDeliveries(this.deps.sql, { limit: free, leaseMs: this.leaseMs, secretBox: this.deps.secretBox }).catch((error: unknown) => {
        this.deliveriesMayBeDue = true;
        throw error;
      });
      for (const delivery of claimed) this.launch(delivery);
      if (claimed.length === free) {
        this.deliveriesMayBeDue = true;
        busy = true;
      }
    }
    return busy;
  }

  private lookAgainWhile(held: boolean): void {
    if (!held) {
      this.relookMs = 0;
      return;
    }
    if (this.relook) return;
    this.relookMs = Math.min(this.relookMs === 0 ? HeldRelookMs.first : this.relookMs * 2, HeldRelookMs.max, this.options.pollMs);
    this.relook = setTimeout(() => {
      this.relook = undefined;
      this.loop.notifySoon();
    }, this.relookMs).unref();
  }

  private launch(delivery: ClaimedDelivery): void {
    const done = this.attempt(delivery)
      .catch((error) => this.deps.log('error', 'webhook attempt crashed', { deliveryId: delivery.id, error: coerceError(error).message }))
      .finally(() => {
        this.inFlight.delete(delivery.id);
        // The next delivery of this job and target may be due now.
        this.notifyDeliveries();
      });
    this.inFlight.set(delivery.id, done);
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    let result: DeliveryResult;
    if (!delivery.url || !delivery.secrets) {
      result = { kind: 'canceled', error: 'the target no longer exists' };
    } else {
      const headers = signWebhook(delivery.secrets, delivery.webhookId, delivery.payload);
      const outcome = await this.send(
        { url: delivery.url, body: delivery.payload, headers },
        { timeoutMs: this.options.timeoutMs, allowPrivate: this.options.allowPrivate, signal: this.shutdown.signal },
      );
      result = decideDelivery(outcome, delivery.attempt, this.options.retryScheduleMs);
    }
    // If this write fails the lease runs out and the delivery is attempted again (same webhook-id).
    await finishDelivery(this.deps.sql, delivery, result);
    this.metrics.record(result);
    if (result.kind === 'failed' || result.kind === 'gone') {
      this.deps.log('warn', 'webhook delivery failed', { deliveryId: delivery.id, jobId: delivery.jobId, target: delivery.target, result: result.kind, attempt: delivery.attempt });
    }
  }

  private async prune(): Promise<void> {
    try {
      await pruneDeliveries(this.deps.sql, this.options.deliveryTtlSeconds);
    } catch (error) {
      this.deps.log('warn', 'webhook delivery pruning failed', { error: coerceError(error).message });
    }
  }

  /** Stops claiming, lets attempts in flight finish within the grace period, then hands the rest back. */
  async stop(): Promise<void> {
    if (this.state !== 'active') return;
    this.state = 'stopping';
    await this.loop.stop();
    clearTimeout(this.relook);
    const drained = Promise.all(this.inFlight.values());
    let graceTimer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'timeout'>((resolve) => (graceTimer = setTimeout(() => resolve('timeout'), this.options.shutdownGraceMs)));
    if ((await Promise.race([drained, graceOver])) === 'timeout') {
      this.shutdown.abort();
      await Promise.all(this.inFlight.values());
    }
    clearTimeout(graceTimer);
    for (const timer of this.timers) clearInterval(timer);
    this.state = 'stopped';
  }
}
