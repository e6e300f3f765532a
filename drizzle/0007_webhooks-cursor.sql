-- The webhook dispatcher's read position in job_events starts at the end of the log as it is now:
-- no job had a webhook and no endpoint existed before 0006, so nothing earlier needs a delivery.
INSERT INTO "webhook_cursors" ("name", "xid", "event_id")
SELECT 'deliveries', coalesce(last."xid", '0'::xid8), coalesce(last."id", 0)
FROM (SELECT 1) AS one
LEFT JOIN LATERAL (SELECT "xid", "id" FROM "job_events" ORDER BY "xid" DESC, "id" DESC LIMIT 1) AS last ON true
ON CONFLICT ("name") DO NOTHING;
