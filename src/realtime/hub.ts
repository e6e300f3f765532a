import type { Sql } from '../db/client.js';
import type { JobRecord, JobStatus } from '../jobs/records.js';
import type { EventKey } from './cursor.js';
import { hydrateEvents, keyOf, readStableEvents, type JobUpdateEvent } from './event-log.js';
import { isTerminal, LogSubscription, type LogPage, type LogSubscriptionOptions } from './log-subscription.js';
import { EventPoller, type PollerOptions } from './poller.js';

/** Updates a subscription yields: log events, or the opening snapshot of `jobUpdated`. */
export type JobUpdate = JobUpdateEvent | SnapshotUpdate;

export interface SnapshotUpdate {
  readonly key: EventKey;
  readonly event: { type: 'SNAPSHOT'; id?: undefined; jobId: string; status: JobStatus; progress: number; stage: string | null; createdAt: Date };
  readonly job: JobRecord;
  readonly preview: null;
}

/** Who subscribes: the account whose events it may see, and the API key it used (for revocation). */
export interface Subscriber {
  readonly accountId: string;
  readonly keyId?: string;
}

/** Rows per replay page, and live events held or queued per subscriber before it reads the log instead. */
const PAGE_SIZE = 500;
const CAPACITY = 1_000;

type Subscription = LogSubscription<JobUpdate>;
type Index = Map<string, Set<Subscription>>;
interface Filter {
  jobId?: string;
  accountId?: string;
}

/**
 * What one subscription reads and where it is registered. A class, not closures: an idle
 * subscription costs one small object here (tens of thousands are open at once).
 */
class HubFeed implements LogSubscriptionOptions<JobUpdate> {
  readonly pageSize = PAGE_SIZE;
  readonly capacity = CAPACITY;
  readonly completeOnTerminal: boolean;
  subscription!: Subscription;

  constructor(
    private readonly hub: RealtimeHub,
    private readonly index: Index,
    private readonly indexKey: string,
    private readonly keyId: string | undefined,
    private readonly filter: Filter,
  ) {
    this.completeOnTerminal = filter.jobId !== undefined;
  }

  readPage(after: EventKey, limit: number): Promise<LogPage<JobUpdate>> {
    return this.hub.readPage(after, limit, this.filter);
  }

  endedAtOrBefore(key: EventKey): Promise<boolean> {
    return this.filter.jobId === undefined ? Promise.resolve(false) : this.hub.jobEndedAtOrBefore(this.filter.jobId, key);
  }

  onEnd(): void {
    unregister(this.index, this.indexKey, this.subscription);
    if (this.keyId) unregister(this.hub.byKey, this.keyId, this.subscription);
  }
}

function register(index: Index, key: string, subscription: Subscription): void {
  let listeners = index.get(key);
  if (!listeners) index.set(key, (listeners = new Set()));
  listeners.add(subscription);
}

function unregister(index: Index, key: string, subscription: Subscription): void {
  const listeners = index.get(key);
  if (listeners?.delete(subscription) && listeners.size === 0) index.delete(key);
}

/**
 * Subscriber registry and fan-out. Listeners are indexed by job and by account, so delivering
 * an event costs the number of interested subscribers, not the number connected; and by API key,
 * so a revoked key's streams end on every transport.
 */
export class RealtimeHub {
  private readonly byJob = new Map<string, Set<Subscription>>();
  private readonly byAccount = new Map<string, Set<Subscription>>();
  /** By API key; read by HubFeed. */
  readonly byKey = new Map<string, Set<Subscription>>();
  /** Registrations so far: the poller hydrates again when one happens during its read. */
  private registrations = 0;
  readonly poller: EventPoller;

  constructor(
    private readonly sql: Sql,
    options: PollerOptions,
  ) {
    this.poller = new EventPoller(sql, options, (events) => this.fanOut(events), {
      epoch: () => this.registrations,
      wants: (event) => this.byJob.has(event.jobId) || this.byAccount.has(event.accountId),
      none: () => this.byJob.size === 0 && this.byAccount.size === 0,
    });
  }

  get subscriberCount(): number {
    let count = 0;
    for (const listeners of this.byJob.values()) count += listeners.size;
    for (const listeners of this.byAccount.values()) count += listeners.size;
    return count;
  }

  start(): void {
    this.poller.start();
  }

  stop(): Promise<void> {
    return this.poller.stop();
  }

  /** API keys with open streams in this process. */
  subscribedKeyIds(): string[] {
    return [...this.byKey.keys()];
  }

  /** Ends every stream opened with this API key; their readers get `error`. */
  endSubscriptionsOf(keyId: string, error: Error): number {
    const subscriptions = [...(this.byKey.get(keyId) ?? [])];
    for (const subscription of subscriptions) subscription.fail(error);
    return subscriptions.length;
  }

  private fanOut(events: JobUpdateEvent[]): void {
    for (const update of events) {
      for (const listener of this.byJob.get(update.event.jobId) ?? []) listener.deliver(update);
      for (const listener of this.byAccount.get(update.event.accountId) ?? []) listener.deliver(update);
    }
  }

  /** Registers in the fan-out (before anything is read, so nothing committed meanwhile falls in a gap). */
  private open(subscriber: Subscriber, index: Index, indexKey: string, after: EventKey, filter: Filter): Subscription {
    const feed = new HubFeed(this, index, indexKey, subscriber.keyId, filter);
    const subscription = (feed.subscription = new LogSubscription<JobUpdate>(after, feed));
    register(index, indexKey, subscription);
    this.registrations++;
    if (subscriber.keyId) register(this.byKey, subscriber.keyId, subscription);
    return subscription;
  }

  /**
   * Every update of one job. With `after`, replays the log after that cursor first (complete at
   * once when the job ended at or before it); without it, opens with a SNAPSHOT of the job.
   * Completes after the terminal event. `undefined` when the account has no such job.
   */
  async subscribeJob(subscriber: Subscriber, jobId: string, after: EventKey | undefined): Promise<AsyncIterable<JobUpdate> | undefined> {
    const subscription = this.open(subscriber, this.byJob, jobId, after ?? { xid: 0n, id: 0 }, { jobId });
    try {
      if (after) {
        const [job] = await this.sql<{ accountId: string }[]>`select account_id from jobs where id = ${jobId}`;
        if (!job || job.accountId !== subscriber.accountId) return void subscription.fail(new Error('no such job'));
      } else {
        const snapshot = await this.snapshot(subscriber.accountId, jobId);
        if (!snapshot) return void subscription.fail(new Error('no such job'));
        subscription.openWithSnapshot(snapshot.update, snapshot.seenIds, isTerminal(snapshot.update.job.status));
      }
      return subscription;
    } catch (error) {
      subscription.fail(error as Error);
      throw error;
    }
  }

  /** Every update of every job of the account, live; with `after`, the missed ones first. */
  subscribeAccount(subscriber: Subscriber, after: EventKey | undefined): AsyncIterable<JobUpdate> {
    const subscription = this.open(subscriber, this.byAccount, subscriber.accountId, after ?? { xid: 0n, id: 0 }, { accountId: subscriber.accountId });
    // Without a cursor the stream starts now: whatever the poller fans out from here on.
    if (!after) subscription.openLive();
    return subscription;
  }

  /** One page of a subscription's events (HubFeed). */
  async readPage(after: EventKey, limit: number, filter: Filter): Promise<LogPage<JobUpdate>> {
    const rows = await readStableEvents(this.sql, after, filter, limit);
    const last = rows.at(-1);
    return { updates: await hydrateEvents(this.sql, rows), rows: rows.length, lastKey: last ? keyOf(last) : undefined };
  }

  /** Whether the job ended at or before `key` (HubFeed). */
  async jobEndedAtOrBefore(jobId: string, key: EventKey): Promise<boolean> {
    const [row] = await this.sql<{ ended: boolean }[]>`
      select exists (
        select 1 from job_events e
        where e.job_id = ${jobId} and e.type in ('SUCCEEDED', 'FAILED', 'CANCELED')
          and (e.xid, e.id) <= (${key.xid.toString()}::xid8, ${key.id})
      ) as ended`;
    return row?.ended ?? false;
  }

  /**
   * The job and, in the same statement (one snapshot), the newest stable event key and the ids of
   * newer events already visible: those are reflected in the row and must not be delivered again.
   */
  private async snapshot(accountId: string, jobId: string): Promise<{ update: SnapshotUpdate; seenIds: Set<number> } | undefined> {
    const [row] = await this.sql<(JobRecord & { stableXid: string | null; stableId: number | null; unstableIds: number[] })[]>`
      with horizon as (select pg_snapshot_xmin(pg_current_snapshot()) as xmin),
      stable as (
        select e.xid, e.id from job_events e, horizon
        where e.job_id = ${jobId} and e.xid < horizon.xmin order by e.xid desc, e.id desc limit 1
      )
      select j.*,
        (select stable.xid::text from stable) as stable_xid,
        (select stable.id from stable) as stable_id,
        array(select e.id from job_events e, horizon where e.job_id = ${jobId} and e.xid >= horizon.xmin) as unstable_ids
      from jobs j where j.id = ${jobId} and j.account_id = ${accountId}`;
    if (!row) return undefined;
    const { stableXid, stableId, unstableIds, ...job } = row;
    const key = { xid: BigInt(stableXid ?? 0), id: stableId ?? 0 };
    return {
      update: { key, event: { type: 'SNAPSHOT', jobId, status: job.status, progress: job.progress, stage: job.stage, createdAt: new Date() }, job, preview: null },
      seenIds: new Set(unstableIds.map(Number)),
    };
  }
}
