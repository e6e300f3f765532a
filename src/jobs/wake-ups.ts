import type { Sql } from '../db/client.js';
import { Channels } from './records.js';

/**
 * What a committed write tells the processes, as the database sends it: the `job_events` and
 * `webhook_deliveries` triggers (drizzle/0011_job-write-wakeups.sql) NOTIFY at commit, so no
 * writer can forget a wake-up and none is sent for a write that rolled back. Writers committing
 * together share one wake-up per kind (PostgreSQL would otherwise serialise their commits); a
 * listener looks once more shortly after each wake-up, and its own polling covers a write that
 * commits even later than that.
 */
export interface JobWriteListeners {
  /** A job became claimable, or a running one ended and freed its account's slot. */
  onClaimable(): void;
  /** New events are in the log (every job write, whatever its kind). */
  onEvents(): void;
  /** New webhook deliveries are queued. */
  onDeliveries(): void;
}

/** Payloads of `Channels.jobEvents`, as the trigger writes them. */
export const JobEventsPayload = { claimable: 'claimable', events: 'events' } as const;

/**
 * LISTENs on the write channels (on the driver's one listening connection, which re-LISTENs after
 * a reconnect; the polling loops cover notifications lost meanwhile). Resolves to `unlisten`.
 */
export async function listenForJobWrites(sql: Sql, listeners: JobWriteListeners): Promise<() => Promise<void>> {
  const claimable = withTrailingCall(() => listeners.onClaimable());
  const deliveries = withTrailingCall(() => listeners.onDeliveries());
  const eventsListen = await sql.listen(Channels.jobEvents, (payload) => {
    if (payload === JobEventsPayload.claimable) claimable.call();
    listeners.onEvents();
  });
  const deliveriesListen = await sql.listen(Channels.webhookDeliveries, () => deliveries.call());
  return async () => {
    claimable.cancel();
    deliveries.cancel();
    await Promise.all([eventsListen.unlisten(), deliveriesListen.unlisten()]);
  };
}

/**
 * How long after a shared wake-up its listener looks once more. Writers that committed alongside
 * the one that notified (they skip their own NOTIFY, see the migration) are almost always
 * committed by then, so their work starts at once instead of at the next poll.
 */
export const TrailingWakeMs = 50;

/** Calls `fn` now and once more `TrailingWakeMs` later; calls meanwhile share that second one. */
export function withTrailingCall(fn: () => void): { call(): void; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  return {
    call() {
      fn();
      timer ??= setTimeout(() => {
        timer = undefined;
        fn();
      }, TrailingWakeMs).unref();
    },
    cancel() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
