-- Feature → Linear reflection is enqueued in the same transaction as the feature or run change
-- that calls for it, so no update can be lost (a NOTIFY-driven enqueue misses changes made while
-- no listener is connected). Only linked features, and only the columns the reflection reads.
-- The upsert mirrors tenantWork().enqueue: one open item per (kind, subject), `requeue` when leased.
CREATE OR REPLACE FUNCTION omakase_work_id() RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  alphabet constant text := '0123456789abcdefghjkmnpqrstvwxyz';
  ms bigint := (extract(epoch from clock_timestamp()) * 1000)::bigint;
  id text := '';
BEGIN
  FOR i IN 1..10 LOOP
    id := substr(alphabet, (ms % 32)::int + 1, 1) || id;
    ms := ms / 32;
  END LOOP;
  FOR i IN 1..16 LOOP
    id := id || substr(alphabet, floor(random() * 32)::int + 1, 1);
  END LOOP;
  RETURN 'wrk_' || id;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION linear_enqueue_reflection() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  -- TG_ARGV[0] names the column holding the feature id: `id` on features, `feature_id` on agent_runs.
  linked_feature text := to_jsonb(NEW) ->> TG_ARGV[0];
  work_id text;
  work_run_after timestamptz;
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM linear_issue_links l WHERE l.org_id = NEW.org_id AND l.feature_id = linked_feature
  ) THEN
    RETURN NULL;
  END IF;
  -- kind = LINEAR_WORK.feature, subject = `<orgId>/<featureId>` (apps/orchestrator/src/linear/context.ts).
  INSERT INTO work_items (id, org_id, kind, subject_id, payload, run_after, available_at)
  VALUES (omakase_work_id(), NEW.org_id, 'linear.feature', NEW.org_id || '/' || linked_feature, '{}'::jsonb,
          clock_timestamp(), clock_timestamp())
  ON CONFLICT (kind, subject_id) WHERE completed_at IS NULL DO UPDATE SET
    requeue = work_items.requeue OR work_items.lease_owner IS NOT NULL,
    available_at = CASE WHEN work_items.lease_expires_at > now() THEN work_items.available_at
      ELSE least(work_items.available_at, excluded.available_at) END,
    run_after = least(work_items.run_after, excluded.run_after)
  RETURNING id, run_after INTO work_id, work_run_after;
  PERFORM pg_notify('omakase_work', json_build_object(
    'orgId', NEW.org_id, 'kind', 'linear.feature', 'id', work_id,
    'runAfter', to_char(work_run_after AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER features_linear_reflection
  AFTER INSERT OR UPDATE OF status, branch_name, pull_request_url ON features
  FOR EACH ROW WHEN (NEW.linear_issue_id IS NOT NULL) EXECUTE FUNCTION linear_enqueue_reflection('id');
--> statement-breakpoint
CREATE TRIGGER agent_runs_linear_reflection
  AFTER INSERT OR UPDATE OF status ON agent_runs
  FOR EACH ROW EXECUTE FUNCTION linear_enqueue_reflection('feature_id');
