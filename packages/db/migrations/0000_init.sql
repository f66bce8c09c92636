CREATE TABLE "agent_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"project_id" text NOT NULL,
	"feature_id" text NOT NULL,
	"role" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempt" integer DEFAULT 1 NOT NULL,
	"input" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"output" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"tokens_in" bigint DEFAULT 0 NOT NULL,
	"tokens_out" bigint DEFAULT 0 NOT NULL,
	"cost_usd" numeric(14, 6) DEFAULT 0 NOT NULL,
	"compute_seconds" double precision DEFAULT 0 NOT NULL,
	"exit_reason" text,
	"next_event_seq" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "agent_runs_org_id_unique" UNIQUE("org_id","id"),
	CONSTRAINT "agent_runs_role_check" CHECK ("agent_runs"."role" in ('architect', 'coder', 'reviewer', 'tester')),
	CONSTRAINT "agent_runs_status_check" CHECK ("agent_runs"."status" in ('queued', 'running', 'succeeded', 'failed', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "feature_dependencies" (
	"org_id" text NOT NULL,
	"feature_id" text NOT NULL,
	"depends_on_id" text NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "feature_dependencies_pk" PRIMARY KEY("feature_id","depends_on_id"),
	CONSTRAINT "feature_dependencies_not_self_check" CHECK ("feature_dependencies"."feature_id" <> "feature_dependencies"."depends_on_id")
);
--> statement-breakpoint
CREATE TABLE "features" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"project_id" text NOT NULL,
	"key" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"acceptance_criteria" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"category" text DEFAULT 'general' NOT NULL,
	"priority" smallint DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"needs_input" jsonb,
	"linear_issue_id" text,
	"linear_url" text,
	"branch_name" text,
	"pull_request_url" text,
	"counters" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "features_org_id_unique" UNIQUE("org_id","id"),
	CONSTRAINT "features_org_project_id_unique" UNIQUE("org_id","project_id","id"),
	CONSTRAINT "features_project_key_unique" UNIQUE("project_id","key"),
	CONSTRAINT "features_priority_check" CHECK ("features"."priority" in (0, 1, 2, 3, 4)),
	CONSTRAINT "features_status_check" CHECK ("features"."status" in ('pending', 'architecting', 'coding', 'reviewing', 'testing', 'done', 'needs_input', 'failed', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "members" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"user_id" text NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "members_org_user_unique" UNIQUE("org_id","user_id"),
	CONSTRAINT "members_role_check" CHECK ("members"."role" in ('owner', 'admin', 'member', 'viewer'))
);
--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"external_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organizations_external_id_unique" UNIQUE("external_id")
);
--> statement-breakpoint
CREATE TABLE "projects" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"name" text NOT NULL,
	"key_prefix" text NOT NULL,
	"repository_url" text NOT NULL,
	"default_branch" text DEFAULT 'main' NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"settings" jsonb NOT NULL,
	"next_feature_number" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "projects_org_id_unique" UNIQUE("org_id","id"),
	CONSTRAINT "projects_org_name_unique" UNIQUE("org_id","name"),
	CONSTRAINT "projects_org_key_prefix_unique" UNIQUE("org_id","key_prefix"),
	CONSTRAINT "projects_status_check" CHECK ("projects"."status" in ('active', 'paused')),
	CONSTRAINT "projects_key_prefix_check" CHECK ("projects"."key_prefix" ~ '^[A-Z][A-Z0-9]{0,9}$')
);
--> statement-breakpoint
CREATE TABLE "run_events" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"run_id" text NOT NULL,
	"seq" integer NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "run_events_run_seq_unique" UNIQUE("run_id","seq"),
	CONSTRAINT "run_events_type_check" CHECK ("run_events"."type" in ('thought', 'tool_call', 'file_edit', 'command', 'output', 'verdict', 'usage', 'error')),
	CONSTRAINT "run_events_seq_check" CHECK ("run_events"."seq" > 0)
);
--> statement-breakpoint
CREATE TABLE "work_items" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"kind" text NOT NULL,
	"subject_id" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"run_after" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_owner" text,
	"lease_expires_at" timestamp with time zone,
	"last_error" text,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agent_runs" ADD CONSTRAINT "agent_runs_feature_fk" FOREIGN KEY ("org_id","project_id","feature_id") REFERENCES "public"."features"("org_id","project_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feature_dependencies" ADD CONSTRAINT "feature_dependencies_feature_fk" FOREIGN KEY ("org_id","feature_id") REFERENCES "public"."features"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feature_dependencies" ADD CONSTRAINT "feature_dependencies_depends_on_fk" FOREIGN KEY ("org_id","depends_on_id") REFERENCES "public"."features"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "features" ADD CONSTRAINT "features_project_fk" FOREIGN KEY ("org_id","project_id") REFERENCES "public"."projects"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_org_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_org_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_events" ADD CONSTRAINT "run_events_run_fk" FOREIGN KEY ("org_id","run_id") REFERENCES "public"."agent_runs"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_items" ADD CONSTRAINT "work_items_org_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agent_runs_org_feature_idx" ON "agent_runs" USING btree ("org_id","feature_id");--> statement-breakpoint
CREATE INDEX "agent_runs_org_project_idx" ON "agent_runs" USING btree ("org_id","project_id");--> statement-breakpoint
CREATE INDEX "feature_dependencies_org_depends_on_idx" ON "feature_dependencies" USING btree ("org_id","depends_on_id");--> statement-breakpoint
CREATE INDEX "features_org_project_idx" ON "features" USING btree ("org_id","project_id");--> statement-breakpoint
CREATE INDEX "members_user_id_idx" ON "members" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "run_events_org_run_idx" ON "run_events" USING btree ("org_id","run_id");--> statement-breakpoint
CREATE UNIQUE INDEX "work_items_open_subject_unique" ON "work_items" USING btree ("kind","subject_id") WHERE "work_items"."completed_at" is null;--> statement-breakpoint
CREATE INDEX "work_items_claim_idx" ON "work_items" USING btree ("run_after","id") WHERE "work_items"."completed_at" is null;--> statement-breakpoint
CREATE INDEX "work_items_org_idx" ON "work_items" USING btree ("org_id");