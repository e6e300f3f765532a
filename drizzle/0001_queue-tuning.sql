-- Claims and progress updates rewrite job rows constantly: leave room for HOT updates and let
-- autovacuum clean the small hot set often instead of waiting for 20% of a large table to die.
ALTER TABLE "jobs" SET (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 200, autovacuum_analyze_scale_factor = 0.02);
--> statement-breakpoint
ALTER TABLE "job_events" SET (autovacuum_analyze_scale_factor = 0.02);
