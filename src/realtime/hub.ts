import type { Sql } from '../db/client.js';
import type { JobRecord } from '../jobs/records.js';
import { compareKeys, type EventKey } from './cursor.js';
import { hydrateEvents, keyOf, readStableEvents, type JobUpdateEvent } from './event-log.js';
import { EventPoller, type PollerOptions } from './poller.js';
import { UpdateQueue } from './update-queue.js';

/** Updates a subscription yields: log events, or the opening snapshot of `jobUpdated`. */
export type JobUpdate = JobUpdateEvent | SnapshotUpdate;

export interface SnapshotUpdate {
  readonly key: EventKey;
  readonly event: { type: 'SNAPSHOT'; jobId: string; progress: number; stage: string | null; createdAt: Date };
  readonly job: JobRecord;
  readonly preview: null;
}

const QUEUE_CAPACITY = 256;

interface Listener {
  deliver(event: JobUpdateEvent): void;
}

/**
 * Subscriber registry and fan-out. Listeners are indexed by job and by account, so delivering
 * an event costs the number of interested subscribers, not the number connected.
 */
export class RealtimeHub {
  private readonly byJob = new Map<string, Set<Listener>>();
  private readonly byAccount = new Map<string, Set<Listener>>();
  readonly poller: EventPoller;

  constructor(
    private readonly sql: Sql,
    options: PollerOptions,
  ) {
    this.poller = new EventPoller(sql, options, (events) => this.fanOut(events));
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

  private fanOut(events: JobUpdateEvent[]): void {
    for (const update of events) {
      for (const listener of this.byJob.get(update.event.jobId) ?? []) listener.deliver(update);
      for (const listener of this.byAccount.get(update.event.accountId) ?? []) listener.deliver(update);
    }
  }

  private register(index: Map<string, Set<Listener>>, key: string, listener: Listener): () => void {
    let listeners = index.get(key);
    if (!listeners) index.set(key, (listeners = new Set()));
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && index.get(key) === listeners) index.delete(key);
    };
  }

  /**
   * Every update of one job. With `after`, replays the log after that cursor first; without it,
   * opens with a SNAPSHOT of the job. Completes after the terminal event. `undefined` when the
   * account has no such job.
   */
  async subscribeJob(accountId: string, jobId: string, after: EventKey | undefined): Promise<AsyncIterable<JobUpdate> | undefined> {
    const queue = new UpdateQueue<JobUpdate>(QUEUE_CAPACITY, () => unregister());
    const gate = new DeliveryGate((update) => {
      queue.push(update);
      if (UpdateQueue.isTerminal(update.event.type)) queue.close();
    });
    // Listen before reading, so nothing committed in between can fall into a gap.
    const unregister = this.register(this.byJob, jobId, gate);
    try {
      if (after) {
        const [job] = await this.sql<{ accountId: string }[]>`select account_id from jobs where id = ${jobId}`;
        if (!job || job.accountId !== accountId) return void queue.close();
        gate.openAfter(after, new Set());
        await gate.replay(() => this.replay(after, { jobId }));
      } else {
        const snapshot = await this.snapshot(accountId, jobId);
        if (!snapshot) return void queue.close();
        gate.openAfter(snapshot.update.key, snapshot.seenIds);
        queue.push(snapshot.update);
        if (UpdateQueue.isTerminal(snapshot.update.job.status)) queue.close();
        else gate.release();
      }
      return queue;
    } catch (error) {
      queue.close();
      throw error;
    }
  }

  /** Every update of every job of the account, live; with `after`, the missed ones first. */
  async subscribeAccount(accountId: string, after: EventKey | undefined): Promise<AsyncIterable<JobUpdate>> {
    const queue = new UpdateQueue<JobUpdate>(QUEUE_CAPACITY, () => unregister());
    const gate = new DeliveryGate((update) => queue.push(update));
    const unregister = this.register(this.byAccount, accountId, gate);
    try {
      if (after) {
        gate.openAfter(after, new Set());
        await gate.replay(() => this.replay(after, { accountId }));
      } else gate.release();
      return queue;
    } catch (error) {
      queue.close();
      throw error;
    }
  }

  /** Stable log events after `after` matching the filter, hydrated, paging through the log. */
  private async *replay(after: EventKey, filter: { jobId?: string; accountId?: string }): AsyncGenerator<JobUpdateEvent> {
    let cursor = after;
    for (;;) {
      const rows = await readStableEvents(this.sql, cursor, filter);
      if (rows.length === 0) return;
      yield* await hydrateEvents(this.sql, rows);
      cursor = keyOf(rows[rows.length - 1]!);
    }
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
        (select xid::text from stable) as stable_xid,
        (select id from stable) as stable_id,
        array(select e.id from job_events e, horizon where e.job_id = ${jobId} and e.xid >= horizon.xmin) as unstable_ids
      from jobs j where j.id = ${jobId} and j.account_id = ${accountId}`;
    if (!row) return undefined;
    const { stableXid, stableId, unstableIds, ...job } = row;
    const key = { xid: BigInt(stableXid ?? 0), id: stableId ?? 0 };
    return {
      update: { key, event: { type: 'SNAPSHOT', jobId, progress: job.progress, stage: job.stage, createdAt: new Date() }, job, preview: null },
      seenIds: new Set(unstableIds.map(Number)),
    };
  }
}

/**
 * Joins a replay (or snapshot) with the live feed without gaps or duplicates: live events are
 * held until the replay is done, then only those after the last delivered key pass.
 */
class DeliveryGate implements Listener {
  private held: JobUpdateEvent[] | undefined = [];
  private last: EventKey | undefined;
  private skipIds = new Set<number>();

  constructor(private readonly emit: (update: JobUpdate) => void) {}

  deliver(update: JobUpdateEvent): void {
    if (this.held) this.held.push(update);
    else this.pass(update);
  }

  private pass(update: JobUpdateEvent): void {
    if (this.last && compareKeys(update.key, this.last) <= 0) return;
    if (this.skipIds.has(update.event.id)) return;
    this.last = update.key;
    this.emit(update);
  }

  openAfter(key: EventKey, skipIds: Set<number>): void {
    this.last = key;
    this.skipIds = skipIds;
  }

  async replay(source: () => AsyncIterable<JobUpdateEvent>): Promise<void> {
    for await (const update of source()) this.pass(update);
    this.release();
  }

  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const update of held) this.pass(update);
  }
}
