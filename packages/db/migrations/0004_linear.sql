CREATE TABLE "linear_connections" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"mode" text NOT NULL,
	"linear_org_id" text NOT NULL,
	"actor_id" text,
	"access_token_sealed" text NOT NULL,
	"refresh_token_sealed" text,
	"webhook_secret_sealed" text,
	"expires_at" timestamp with time zone,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"last_webhook_at" timestamp with time zone,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "linear_inbox" (
	"delivery_id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"issue_id" text NOT NULL,
	"seq" integer GENERATED ALWAYS AS IDENTITY (sequence name "linear_inbox_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"type" text NOT NULL,
	"action" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	"outcome" text
);
--> statement-breakpoint
CREATE TABLE "linear_issue_links" (
	"org_id" text NOT NULL,
	"issue_id" text NOT NULL,
	"identifier" text NOT NULL,
	"feature_id" text,
	"remote_updated_at" timestamp with time zone NOT NULL,
	"agent_session_id" text,
	"pushed_status" text,
	"pushed_runs" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "linear_outbox" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"issue_id" text NOT NULL,
	"seq" integer GENERATED ALWAYS AS IDENTITY (sequence name "linear_outbox_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"payload" jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "linear_connections" ADD CONSTRAINT "linear_connections_org_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "linear_inbox" ADD CONSTRAINT "linear_inbox_org_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "linear_issue_links" ADD CONSTRAINT "linear_issue_links_org_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "linear_outbox" ADD CONSTRAINT "linear_outbox_org_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "linear_connections_org_unique" ON "linear_connections" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "linear_connections_linear_org_idx" ON "linear_connections" USING btree ("linear_org_id");--> statement-breakpoint
CREATE INDEX "linear_inbox_pending_idx" ON "linear_inbox" USING btree ("org_id","issue_id","seq") WHERE "linear_inbox"."processed_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "linear_issue_links_pk" ON "linear_issue_links" USING btree ("org_id","issue_id");--> statement-breakpoint
CREATE INDEX "linear_issue_links_feature_idx" ON "linear_issue_links" USING btree ("feature_id");--> statement-breakpoint
CREATE INDEX "linear_outbox_pending_idx" ON "linear_outbox" USING btree ("org_id","issue_id","seq") WHERE "linear_outbox"."sent_at" is null;