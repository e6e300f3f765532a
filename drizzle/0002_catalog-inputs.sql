ALTER TABLE "jobs" ADD COLUMN "calls" integer[] DEFAULT '{1}'::integer[] NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "requested_model_id" text;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "reference_images" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "output" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "template" text;