CREATE TABLE "warm_runners" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"handle" text,
	"owner_id" text NOT NULL,
	"status" text DEFAULT 'starting' NOT NULL,
	"run_id" text,
	"run_env" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone,
	"assigned_at" timestamp with time zone,
	CONSTRAINT "warm_runners_status_check" CHECK ("warm_runners"."status" in ('starting', 'waiting', 'assigned'))
);
--> statement-breakpoint
ALTER TABLE "warm_runners" ADD CONSTRAINT "warm_runners_org_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "warm_runners_org_status_idx" ON "warm_runners" USING btree ("org_id","status");