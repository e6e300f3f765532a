-- Wake-ups are part of the write. Every job write appends to job_events, so one statement-level
-- trigger there notifies every process once per statement, delivered at commit (never for a write
-- that rolls back). The payload says what the listeners may do about it: 'claimable' when a job
-- became claimable (queued, retried, released) or a running slot was freed (a terminal event),
-- 'events' for the rest (started, progress): workers only claim on the first kind; the event
-- poller and the webhook planner read the log on both.
CREATE FUNCTION "pictor_notify_job_events"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM new_events WHERE type NOT IN ('STARTED', 'PROGRESS')) THEN
    PERFORM pg_notify('pictor_job_events', 'claimable');
  ELSIF EXISTS (SELECT 1 FROM new_events) THEN
    PERFORM pg_notify('pictor_job_events', 'events');
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "job_events_notify" AFTER INSERT ON "job_events"
  REFERENCING NEW TABLE AS new_events
  FOR EACH STATEMENT EXECUTE FUNCTION "pictor_notify_job_events"();--> statement-breakpoint
-- New webhook deliveries (planned from events, or replayed by a client) wake the dispatchers.
CREATE FUNCTION "pictor_notify_webhook_deliveries"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM new_deliveries) THEN
    PERFORM pg_notify('pictor_webhook_deliveries', '');
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "webhook_deliveries_notify" AFTER INSERT ON "webhook_deliveries"
  REFERENCING NEW TABLE AS new_deliveries
  FOR EACH STATEMENT EXECUTE FUNCTION "pictor_notify_webhook_deliveries"();
