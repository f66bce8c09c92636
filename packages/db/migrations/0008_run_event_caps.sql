ALTER TABLE "agent_runs" ADD COLUMN "event_bytes" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "agent_runs" ADD COLUMN "events_truncated" boolean DEFAULT false NOT NULL;