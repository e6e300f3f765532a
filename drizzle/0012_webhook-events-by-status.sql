-- Webhook events are named by job status: COMPLETED is now SUCCEEDED. Messages already built keep
-- their body (a replay sends the same message); only the stored event names change.
UPDATE "webhook_endpoints" SET "events" = array_replace("events", 'COMPLETED', 'SUCCEEDED') WHERE 'COMPLETED' = ANY("events");--> statement-breakpoint
UPDATE "webhook_deliveries" SET "event_type" = 'SUCCEEDED' WHERE "event_type" = 'COMPLETED';--> statement-breakpoint
UPDATE "jobs" SET "webhook" = jsonb_set("webhook", '{events}', (
  SELECT jsonb_agg(CASE WHEN "event" = 'COMPLETED' THEN 'SUCCEEDED' ELSE "event" END)
  FROM jsonb_array_elements_text("webhook" -> 'events') AS "event"
)) WHERE "webhook" -> 'events' ? 'COMPLETED';
