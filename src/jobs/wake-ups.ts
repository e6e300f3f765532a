import type { Sql } from '../db/client.js';
import { Channels } from './records.js';

/**
 * What a committed write tells the processes, as the database sends it: the `job_events` and
 * `webhook_deliveries` triggers (drizzle/0010_job-write-wakeups.sql) NOTIFY at commit, so no
 * writer can forget a wake-up and none is sent for a write that rolled back. Writers committing
 * together share one wake-up per kind (PostgreSQL would otherwise serialise their commits); a
 * listener's own polling covers a write that commits just after the wake-up it shared was handled.
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
  const events = await sql.listen(Channels.jobEvents, (payload) => {
    if (payload === JobEventsPayload.claimable) listeners.onClaimable();
    listeners.onEvents();
  });
  const deliveries = await sql.listen(Channels.webhookDeliveries, () => listeners.onDeliveries());
  return async () => {
    await Promise.all([events.unlisten(), deliveries.unlisten()]);
  };
}
