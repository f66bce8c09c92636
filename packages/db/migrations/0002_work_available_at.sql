DROP INDEX "work_items_claim_idx";--> statement-breakpoint
ALTER TABLE "work_items" ADD COLUMN "available_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
UPDATE "work_items" SET "available_at" = greatest("run_after", coalesce("lease_expires_at", "run_after")) WHERE "completed_at" IS NULL;--> statement-breakpoint
CREATE INDEX "work_items_claim_idx" ON "work_items" USING btree ("available_at","id") WHERE "work_items"."completed_at" is null;