CREATE TABLE "test_baselines" (
	"org_id" text NOT NULL,
	"project_id" text NOT NULL,
	"base_commit" text NOT NULL,
	"command" text NOT NULL,
	"summary" jsonb NOT NULL,
	"run_id" text NOT NULL,
	"reuses" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "test_baselines_org_id_project_id_base_commit_command_pk" PRIMARY KEY("org_id","project_id","base_commit","command"),
	CONSTRAINT "test_baselines_commit_check" CHECK ("test_baselines"."base_commit" ~ '^[0-9a-f]{40,64}$')
);
--> statement-breakpoint
ALTER TABLE "agent_runs" DROP CONSTRAINT "agent_runs_role_check";--> statement-breakpoint
ALTER TABLE "features" DROP CONSTRAINT "features_status_check";--> statement-breakpoint
ALTER TABLE "agent_runs" ADD COLUMN "base_commit" text;--> statement-breakpoint
ALTER TABLE "test_baselines" ADD CONSTRAINT "test_baselines_project_fk" FOREIGN KEY ("org_id","project_id") REFERENCES "public"."projects"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_runs" ADD CONSTRAINT "agent_runs_role_check" CHECK ("agent_runs"."role" in ('setup', 'architect', 'coder', 'reviewer', 'tester'));--> statement-breakpoint
ALTER TABLE "features" ADD CONSTRAINT "features_status_check" CHECK ("features"."status" in ('pending', 'setting_up', 'architecting', 'coding', 'reviewing', 'testing', 'done', 'needs_input', 'failed', 'cancelled'));