-- Wake-ups are part of the write. Every job write appends to job_events, so one statement-level
-- trigger there notifies every process, delivered at commit (never for a write that rolls back or
-- writes nothing). The payload says what listeners may do about it: 'claimable' when a job became
-- claimable (queued, retried, released) or a running slot was freed (a terminal event), 'events'
-- for the rest (started, progress): workers claim on the first kind only; the event poller and the
-- webhook planner read the log on both.
--
-- A transaction that NOTIFYs holds a cluster-wide lock from the start of its commit to its end, so
-- notifying writers commit one at a time (no group commit): measured with the submit statement, 20-25%
-- of the throughput without the trigger at 16-64 clients (bench/job-write-notify.ts). So one
-- transaction at a time sends each kind (a non-blocking advisory lock per kind); a writer that
-- finds one in flight commits alongside it without notifying, and the listeners' polling
-- interval covers the case where its commit lands after that wake-up was handled.
CREATE FUNCTION "pictor_notify_job_events"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  kind text;
BEGIN
  IF EXISTS (SELECT 1 FROM new_events WHERE type NOT IN ('STARTED', 'PROGRESS')) THEN
    kind := 'claimable';
  ELSIF EXISTS (SELECT 1 FROM new_events) THEN
    kind := 'events';
  ELSE
    RETURN NULL;
  END IF;
  IF pg_try_advisory_xact_lock(7431010, CASE kind WHEN 'claimable' THEN 1 ELSE 2 END) THEN
    PERFORM pg_notify('pictor_job_events', kind);
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "job_events_notify" AFTER INSERT ON "job_events"
  REFERENCING NEW TABLE AS new_events
  FOR EACH STATEMENT EXECUTE FUNCTION "pictor_notify_job_events"();--> statement-breakpoint
-- New webhook deliveries (planned from events, or replayed by a client) wake the dispatchers, on
-- the same terms.
CREATE FUNCTION "pictor_notify_webhook_deliveries"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM new_deliveries) AND pg_try_advisory_xact_lock(7431010, 3) THEN
    PERFORM pg_notify('pictor_webhook_deliveries', '');
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "webhook_deliveries_notify" AFTER INSERT ON "webhook_deliveries"
  REFERENCING NEW TABLE AS new_deliveries
  FOR EACH STATEMENT EXECUTE FUNCTION "pictor_notify_webhook_deliveries"();
