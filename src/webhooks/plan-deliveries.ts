import type { Sql, SqlLike } from '../db/client.js';
import type { JobEventRecord } from '../jobs/records.js';
import { hydrateEvents, keyOf, readStableEvents } from '../realtime/event-log.js';
import { holdBehindEarlier } from './chains.js';
import { webhookEventOf, type JobWebhook, type WebhookEvent } from './events.js';
import { webhookPayload, type ImageUrl } from './payload.js';
import type { SecretBox } from './secret-box.js';
import { accountSigningSecrets } from './secrets.js';
import { newWebhookId } from './signing.js';

/** Name of the dispatcher's row in `webhook_cursors` (seeded by migration 0007). */
export const DeliveriesCursor = 'deliveries';

export interface PlanOptions {
  /** Log events read per pass. */
  readonly batchSize: number;
  readonly imageUrl: ImageUrl;
  /** Seals the account secrets created for per-job webhooks. */
  readonly secretBox: SecretBox;
}

export interface PlanResult {
  /** False when another dispatcher holds the cursor: nothing was read. */
  readonly locked: boolean;
  /** Log events consumed (the cursor moved past them). */
  readonly events: number;
  readonly created: number;
  /** Pending PROGRESS deliveries replaced by a newer one for the same job and target. */
  readonly superseded: number;
}

/** What `skipUntargetedEvents` found. */
export type SkipResult = SkipVerdict & {
  /**
   * Events after the cursor are committed or being written but not yet readable: an older writing
   * transaction is still open. They become readable when it ends, which wakes no one if it wrote
   * no job event; the dispatcher must look again by itself.
   */
  readonly held: boolean;
};

type SkipVerdict =
  /** No stable event after the cursor, or another dispatcher holds it. */
  | { kind: 'idle' }
  /** The next events had no possible target: the cursor moved past them. */
  | { kind: 'skipped'; events: number }
  /** Some of the next events may have a target: `planDeliveries` must plan them. */
  | { kind: 'targeted' };

/**
 * The common pass in one statement: when none of the next stable events can have a target (no
 * job among them has a webhook of its own, no account among them has an enabled endpoint), move
 * the cursor past them; otherwise change nothing and say so. A job's webhook is written with its
 * `QUEUED` event, so an event this statement can see always comes with its job's webhook. It
 * locks the cursor row like `planDeliveries` (SKIP LOCKED: a dispatcher planning elsewhere is
 * never waited for) and reads the same stable events, so both move the cursor the same way. It
 * also says whether events after the cursor are held back by an older open transaction.
 *
 * The events' jobs are looked up by primary key (`= any(array(...))`). Written as `in (select ...)`,
 * the planner, whose statistics say few jobs have a webhook, scanned the whole `jobs` table on
 * every pass: 2.6 ms at 5,000 jobs, and growing with the table.
 */
export async function skipUntargetedEvents(sql: SqlLike, batchSize: number): Promise<SkipResult> {
  const [row] = await sql<{ locked: boolean; events: number; targeted: boolean; held: boolean }[]>`
    with cursor as (
      select c.xid, c.event_id from webhook_cursors c where c.name = ${DeliveriesCursor} for update skip locked
    ), next as (
      select e.xid, e.id, e.job_id, e.account_id from cursor c cross join lateral (
        select e.xid, e.id, e.job_id, e.account_id from job_events e
        where (e.xid, e.id) > (c.xid, c.event_id) and e.xid < pg_snapshot_xmin(pg_current_snapshot())
        order by e.xid, e.id limit ${batchSize}
      ) e
    ), verdict as (
      select count(*)::int as events,
             exists (select 1 from jobs j where j.id = any(array(select job_id from next)) and j.webhook is not null)
               or exists (select 1 from webhook_endpoints w where w.enabled and w.account_id = any(array(select account_id from next))) as targeted
      from next
    ), last as (
      select n.xid, n.id from next n order by n.xid desc, n.id desc limit 1
    ), moved as (
      update webhook_cursors c set xid = last.xid, event_id = last.id, updated_at = now()
      from last, verdict
      where c.name = ${DeliveriesCursor} and not verdict.targeted
      returning c.name
    )
    select exists (select 1 from cursor) as locked, verdict.events, verdict.targeted and verdict.events > 0 as targeted,
           exists (select 1 from cursor) and coalesce((
             -- Every event written at or after the horizon is after the cursor, which only ever
             -- moves to readable events. One probe of the log's index: a scalar subquery ordered
             -- like the index (EXISTS would drop the order, and the planner, which cannot know how
             -- few rows match, preferred reading the whole log).
             select true from job_events e
             where e.xid >= pg_snapshot_xmin(pg_current_snapshot())
             order by e.xid limit 1
           ), false) as held
    from verdict`;
  const held = row?.held ?? false;
  if (!row?.locked || row.events === 0) return { kind: 'idle', held };
  return row.targeted ? { kind: 'targeted', held } : { kind: 'skipped', events: row.events, held };
}

interface Target {
  /** Chain key: 'job' or the endpoint id. */
  readonly target: string;
  readonly endpointId: string | null;
}

interface EndpointRow {
  id: string;
  accountId: string;
  events: string[];
}

/**
 * One dispatcher pass, in one short transaction: lock the cursor row (SKIP LOCKED, so one
 * dispatcher at a time advances it and the others move on), read the next stable events after
 * it (the same xid-based read as subscriptions, so late commits are never skipped), insert a
 * delivery for each (event, interested target), supersede older pending PROGRESS deliveries
 * of the same job and target, and move the cursor. A process that dies anywhere in here rolls
 * back everything, so each event becomes its deliveries exactly once.
 */
export async function planDeliveries(sql: Sql, options: PlanOptions): Promise<PlanResult> {
  return sql.begin(async (tx) => {
    const [cursor] = await tx<{ xid: string; eventId: number }[]>`
      select xid::text as xid, event_id from webhook_cursors where name = ${DeliveriesCursor} for update skip locked`;
    if (!cursor) return { locked: false, events: 0, created: 0, superseded: 0 };
    const events = await readStableEvents(tx, { xid: BigInt(cursor.xid), id: cursor.eventId }, {}, options.batchSize);
    if (events.length === 0) return { locked: true, events: 0, created: 0, superseded: 0 };

    const targets = await targetsOf(tx, events);
    const wanted = events.filter((event) => (targets.get(event.id)?.length ?? 0) > 0);
    let created = 0;
    let superseded = 0;
    if (wanted.length > 0) {
      const updates = await hydrateEvents(tx, wanted);
      const rows = updates.flatMap((update) => {
        const event = webhookEventOf(update.event.type)!;
        const payload = webhookPayload(update, event, options.imageUrl);
        return (targets.get(update.event.id) ?? []).map((target) => ({
          jobId: update.event.jobId,
          accountId: update.event.accountId,
          endpointId: target.endpointId,
          target: target.target,
          eventId: update.event.id,
          eventType: event,
          webhookId: newWebhookId(),
          payload,
        }));
      });
      if (rows.length > 0) {
        // One statement, rows in log order: seq (the per-chain delivery order) follows the log.
        const inserted = await tx`
          insert into webhook_deliveries ${tx(rows, 'jobId', 'accountId', 'endpointId', 'target', 'eventId', 'eventType', 'webhookId', 'payload')}
          returning id`;
        created = rows.length;
        await holdBehindEarlier(
          tx,
          inserted.map((row) => String(row.id)),
        );
        // Per-job webhooks sign with the account's secret: make sure it exists before any attempt.
        const signingAccounts = rows.filter((row) => row.target === 'job').map((row) => row.accountId);
        if (signingAccounts.length > 0) await accountSigningSecrets(tx, options.secretBox, signingAccounts);
        const progressJobs = [...new Set(rows.filter((row) => row.eventType === 'PROGRESS').map((row) => row.jobId))];
        if (progressJobs.length > 0) superseded = await supersedeProgress(tx, progressJobs);
      }
    }
    const last = keyOf(events.at(-1)!);
    await tx`update webhook_cursors set xid = ${last.xid.toString()}::xid8, event_id = ${last.id}, updated_at = now() where name = ${DeliveriesCursor}`;
    return { locked: true, events: events.length, created, superseded };
  });
}

/** Who wants each event: the job's own webhook and the account's enabled endpoints, by event filter. */
async function targetsOf(sql: SqlLike, events: readonly JobEventRecord[]): Promise<Map<number, Target[]>> {
  const deliverable = events.filter((event) => webhookEventOf(event.type) !== undefined);
  const result = new Map<number, Target[]>();
  if (deliverable.length === 0) return result;
  const jobIds = [...new Set(deliverable.map((event) => event.jobId))];
  const accountIds = [...new Set(deliverable.map((event) => event.accountId))];
  const jobHooks = await sql<{ id: string; webhook: JobWebhook }[]>`
    select id, webhook from jobs where id = any(${jobIds}::uuid[]) and webhook is not null`;
  const endpoints = await sql<EndpointRow[]>`
    select id, account_id, events from webhook_endpoints where account_id = any(${accountIds}::uuid[]) and enabled order by created_at, id`;
  const hookByJob = new Map(jobHooks.map((row) => [row.id, row.webhook]));
  for (const event of deliverable) {
    const type: WebhookEvent = webhookEventOf(event.type)!;
    const targets: Target[] = [];
    const hook = hookByJob.get(event.jobId);
    if (hook && !hook.disabled && hook.events.includes(type)) targets.push({ target: 'job', endpointId: null });
    for (const endpoint of endpoints) {
      if (endpoint.accountId === event.accountId && endpoint.events.includes(type)) targets.push({ target: endpoint.id, endpointId: endpoint.id });
    }
    if (targets.length > 0) result.set(event.id, targets);
  }
  return result;
}

/**
 * Progress is coalesced: a PROGRESS delivery still waiting (not in flight) when a newer one for
 * the same job and target exists is superseded, so a slow receiver gets the latest state
 * instead of a backlog. Other events are never superseded.
 */
async function supersedeProgress(sql: SqlLike, jobIds: readonly string[]): Promise<number> {
  // A superseded delivery may have been its chain's head: what waited behind it is due now.
  const [row] = await sql<{ superseded: number }[]>`
    with superseded as (
      update webhook_deliveries d set status = 'superseded', finished_at = now(), next_attempt_at = null
      where d.job_id = any(${[...jobIds]}::uuid[]) and d.status = 'pending' and d.event_type = 'PROGRESS'
        and exists (
          select 1 from webhook_deliveries newer
          where newer.job_id = d.job_id and newer.target = d.target and newer.event_type = 'PROGRESS' and newer.seq > d.seq
            and newer.status = 'pending')
      returning d.id, d.job_id, d.target, d.seq
    ), released as (
      update webhook_deliveries follower set next_attempt_at = now()
      from superseded
      where follower.job_id = superseded.job_id and follower.target = superseded.target and follower.seq > superseded.seq
        and follower.status = 'pending' and follower.attempt = 0 and follower.next_attempt_at > now()
        and follower.id not in (select id from superseded)
      returning follower.id
    )
    select count(*)::int as superseded from superseded`;
  return row?.superseded ?? 0;
}
