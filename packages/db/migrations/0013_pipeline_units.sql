-- The pipeline's units of work (the storage port's `PipelineUnits`, packages/db/src/store/pipeline.ts):
-- each is one function call, so one statement and one server-side transaction, with its guard
-- (the feature's or run's expected status) checked where the row is locked. The engine decides;
-- these only write what it decided, and publish the same NOTIFYs the repositories publish.

-- A `Change` (packages/domain/src/ports.ts) on omakase_changes, delivered on commit.
-- (plpgsql, not sql: its plan is cached per connection instead of the body planned at every call.)
CREATE OR REPLACE FUNCTION omakase_notify_change(
  p_org text, p_project text, p_entity text, p_id text, p_op text, p_status text
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF p_status IS NULL THEN
    PERFORM pg_notify('omakase_changes', json_build_object('orgId', p_org, 'projectId', p_project,
      'entity', p_entity, 'id', p_id, 'op', p_op)::text);
  ELSE
    PERFORM pg_notify('omakase_changes', json_build_object('orgId', p_org, 'projectId', p_project,
      'entity', p_entity, 'id', p_id, 'op', p_op, 'status', p_status)::text);
  END IF;
END $$;
--> statement-breakpoint
-- tenantWork().enqueue in one function: one open item per (kind, subject), `requeue` when leased.
-- With `p_lease_to`, a new item is handed to that worker at once (leased, its first attempt, no
-- wake-up for anyone else) and returned: the worker that decided the work goes on with it.
CREATE OR REPLACE FUNCTION omakase_enqueue(
  p_org text, p_kind text, p_subject text, p_payload jsonb, p_run_after timestamptz,
  p_lease_to text DEFAULT NULL, p_lease_ms int DEFAULT NULL
) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  item record;
  v_inserted boolean;
BEGIN
  INSERT INTO work_items (id, org_id, kind, subject_id, payload, run_after, available_at)
  VALUES (omakase_work_id(), p_org, p_kind, p_subject, coalesce(p_payload, '{}'::jsonb), p_run_after, p_run_after)
  ON CONFLICT (kind, subject_id) WHERE completed_at IS NULL DO UPDATE SET
    requeue = work_items.requeue OR work_items.lease_owner IS NOT NULL,
    available_at = CASE WHEN work_items.lease_expires_at > now() THEN work_items.available_at
      ELSE least(work_items.available_at, excluded.available_at) END,
    run_after = least(work_items.run_after, excluded.run_after)
  WHERE work_items.org_id = p_org
  RETURNING id, run_after, (xmax = 0) AS inserted INTO item;
  IF item.id IS NULL THEN RETURN NULL; END IF;
  IF p_lease_to IS NOT NULL AND item.inserted AND p_run_after <= now() THEN
    UPDATE work_items SET lease_owner = p_lease_to,
      lease_expires_at = now() + make_interval(secs => p_lease_ms / 1000.0),
      available_at = now() + make_interval(secs => p_lease_ms / 1000.0), attempts = attempts + 1
    WHERE id = item.id
    RETURNING id, org_id, kind, subject_id, payload, attempts, run_after, lease_owner, lease_expires_at
    INTO item;
    RETURN to_jsonb(item);
  END IF;
  PERFORM pg_notify('omakase_work', json_build_object(
    'orgId', p_org, 'kind', p_kind, 'id', item.id,
    'runAfter', to_char(item.run_after AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text);
  RETURN NULL;
END $$;
--> statement-breakpoint
-- tenantWork().complete: done if `p_worker` still holds the lease; a requeued item re-opens, due now.
CREATE OR REPLACE FUNCTION omakase_complete_work(p_org text, p_id text, p_worker text)
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  item record;
BEGIN
  UPDATE work_items SET
    completed_at = CASE WHEN requeue THEN NULL ELSE now() END,
    lease_owner = CASE WHEN requeue THEN NULL ELSE lease_owner END,
    run_after = CASE WHEN requeue THEN now() ELSE run_after END,
    available_at = CASE WHEN requeue THEN now() ELSE available_at END,
    lease_expires_at = NULL,
    requeue = false
  WHERE id = p_id AND org_id = p_org AND lease_owner = p_worker AND completed_at IS NULL
  RETURNING id, kind, run_after, completed_at INTO item;
  IF NOT FOUND THEN RETURN false; END IF;
  IF item.completed_at IS NULL THEN
    PERFORM pg_notify('omakase_work', json_build_object(
      'orgId', p_org, 'kind', item.kind, 'id', item.id,
      'runAfter', to_char(item.run_after AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text);
  END IF;
  RETURN true;
END $$;
--> statement-breakpoint
-- One decided pipeline transition (the engine's `Transition`, as JSON): the feature moves only if
-- it still has `expectedStatus`; then, in this order, the claimed item it completes, the run it
-- starts, the live runs it cancels and the work it enqueues. False, with nothing written, when the feature moved or is gone.
CREATE OR REPLACE FUNCTION omakase_commit_transition(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_org text := p->>'orgId';
  v_feature text := p->>'featureId';
  v_patch jsonb := p->'patch';
  v_project text;
  v_run jsonb := p->'createRun';
  v_cancel jsonb := p->'cancelLiveRuns';
  v_item jsonb;
  v_hand_off jsonb := nullif(p->'handOff', 'null'::jsonb);
  v_handed jsonb := '[]'::jsonb;
  v_leased jsonb;
  cancelled record;
BEGIN
  UPDATE features SET
    status = v_patch->>'status',
    counters = v_patch->'counters',
    needs_input = CASE WHEN v_patch ? 'needsInput' THEN nullif(v_patch->'needsInput', 'null'::jsonb)
      ELSE needs_input END,
    branch_name = CASE WHEN v_patch ? 'branchName' THEN v_patch->>'branchName' ELSE branch_name END,
    pull_request_url = CASE WHEN v_patch ? 'pullRequestUrl' THEN v_patch->>'pullRequestUrl'
      ELSE pull_request_url END,
    updated_at = now()
  WHERE org_id = v_org AND id = v_feature AND status = p->>'expectedStatus'
  RETURNING project_id INTO v_project;
  IF NOT FOUND THEN RETURN jsonb_build_object('committed', false, 'handedOff', '[]'::jsonb); END IF;
  PERFORM omakase_notify_change(v_org, v_project, 'feature', v_feature, 'update', NULL);
  -- The deciding item is completed before the new work is enqueued: work of the same kind and
  -- subject (a push retried) must be a new item, not a re-opening of this one with its payload.
  IF p ? 'completeWork' AND p->'completeWork' <> 'null'::jsonb THEN
    PERFORM omakase_complete_work(v_org, p->'completeWork'->>'id', p->'completeWork'->>'workerId');
  END IF;

  IF v_run IS NOT NULL AND v_run <> 'null'::jsonb THEN
    INSERT INTO agent_runs (id, org_id, project_id, feature_id, role, attempt, input)
    VALUES (v_run->>'id', v_org, v_project, v_feature, v_run->>'role', (v_run->>'attempt')::int, v_run->'input');
    PERFORM omakase_notify_change(v_org, v_project, 'run', v_run->>'id', 'insert', 'queued');
  END IF;

  IF v_cancel IS NOT NULL AND v_cancel <> 'null'::jsonb THEN
    FOR cancelled IN
      UPDATE agent_runs SET status = 'cancelled', finished_at = (v_cancel->>'finishedAt')::timestamptz,
        exit_reason = v_cancel->>'exitReason'
      WHERE org_id = v_org AND feature_id = v_feature AND status IN ('queued', 'running')
      RETURNING id
    LOOP
      PERFORM omakase_notify_change(v_org, v_project, 'run', cancelled.id, 'update', 'cancelled');
    END LOOP;
  END IF;

  -- Kinds named by `handOff` go straight to the deciding worker (see omakase_enqueue).
  FOR v_item IN SELECT * FROM jsonb_array_elements(coalesce(p->'enqueue', '[]'::jsonb)) LOOP
    IF v_hand_off IS NOT NULL AND v_hand_off->'kinds' ? (v_item->>'kind') THEN
      v_leased := omakase_enqueue(v_org, v_item->>'kind', v_item->>'subjectId', v_item->'payload', now(),
        v_hand_off->>'workerId', (v_hand_off->>'leaseMs')::int);
      IF v_leased IS NOT NULL THEN v_handed := v_handed || jsonb_build_array(v_leased); END IF;
    ELSE
      PERFORM omakase_enqueue(v_org, v_item->>'kind', v_item->>'subjectId', v_item->'payload', now());
    END IF;
  END LOOP;

  RETURN jsonb_build_object('committed', true, 'handedOff', v_handed);
END $$;
--> statement-breakpoint
-- A live run's end, once (the engine's `RunFinish`): the run takes its final state only if it is
-- still queued or running, its completion (`run.completed`) is enqueued, and a setup run's test
-- baseline is kept for its base commit. The claimed item `completeWork` names is completed
-- either way (the caller's work is settled). Returns whether this call finished the run.
CREATE OR REPLACE FUNCTION omakase_finish_run(p jsonb) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  v_org text := p->>'orgId';
  v_run text := p->>'runId';
  v_now timestamptz := (p->>'finishedAt')::timestamptz;
  v_baseline jsonb := p->'baseline';
  finished record;
  v_finished boolean;
BEGIN
  UPDATE agent_runs SET
    status = p->>'status',
    output = CASE WHEN p ? 'output' THEN nullif(p->'output', 'null'::jsonb) ELSE output END,
    tokens_in = coalesce((p->>'tokensIn')::bigint, tokens_in),
    tokens_out = coalesce((p->>'tokensOut')::bigint, tokens_out),
    cost_usd = coalesce((p->>'costUsd')::numeric, cost_usd),
    usage_by_model = coalesce(p->'usageByModel', usage_by_model),
    exit_reason = p->>'exitReason',
    finished_at = v_now,
    started_at = coalesce((p->>'startedAt')::timestamptz, started_at),
    base_commit = coalesce(p->>'baseCommit', base_commit),
    compute_seconds = coalesce(extract(epoch FROM v_now - coalesce((p->>'startedAt')::timestamptz, started_at))::float8, 0)
  WHERE org_id = v_org AND id = v_run AND status IN ('queued', 'running')
  RETURNING project_id, role, base_commit, status INTO finished;
  v_finished := FOUND;
  IF v_finished THEN
    PERFORM omakase_notify_change(v_org, finished.project_id, 'run', v_run, 'update', finished.status);
    PERFORM omakase_enqueue(v_org, 'run.completed', v_run, '{}'::jsonb, now());
    -- Only the commit the orchestrator seeded: a baseline of another commit would judge the wrong code.
    IF finished.role = 'setup' AND v_baseline IS NOT NULL AND v_baseline <> 'null'::jsonb
       AND (finished.base_commit IS NULL OR finished.base_commit = v_baseline->>'baseCommit') THEN
      INSERT INTO test_baselines (org_id, project_id, base_commit, command, summary, run_id)
      VALUES (v_org, finished.project_id, v_baseline->>'baseCommit', v_baseline->>'command', v_baseline, v_run)
      ON CONFLICT DO NOTHING;
    END IF;
  END IF;
  IF p ? 'completeWork' AND p->'completeWork' <> 'null'::jsonb THEN
    PERFORM omakase_complete_work(v_org, p->'completeWork'->>'id', p->'completeWork'->>'workerId');
  END IF;
  RETURN v_finished;
END $$;
--> statement-breakpoint
-- A run's move between live states (`p_from` → `p_to`: queued → running when it starts, running →
-- queued when the cloud took its capacity back). Returns whether it moved and the run's status
-- after the call (null: no such run), so a caller that lost the race knows to what.
CREATE OR REPLACE FUNCTION omakase_move_run(
  p_org text, p_run text, p_from text, p_to text, p_started_at timestamptz, p_exit_reason text,
  p_base_commit text
) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_project text;
BEGIN
  UPDATE agent_runs SET status = p_to, started_at = p_started_at,
    exit_reason = CASE WHEN p_to = 'queued' THEN p_exit_reason ELSE exit_reason END,
    base_commit = coalesce(p_base_commit, base_commit)
  WHERE org_id = p_org AND id = p_run AND status = p_from
  RETURNING project_id INTO v_project;
  IF NOT FOUND THEN
    RETURN jsonb_build_object('moved', false, 'status',
      (SELECT status FROM agent_runs WHERE org_id = p_org AND id = p_run));
  END IF;
  PERFORM omakase_notify_change(p_org, v_project, 'run', p_run, 'update', p_to);
  RETURN jsonb_build_object('moved', true, 'status', p_to);
END $$;
--> statement-breakpoint
-- Several decided transitions (a schedule's starts) as one unit: all or none. With `capacity`
-- ({projectId, projectMax, orgMax, activeStatuses}) the org's scheduling lock is taken and the
-- starts must fit the project's and the org's free agent slots as they are now, so two
-- schedulers (on any process) cannot both fill the last slot. Returns {committed, reason,
-- handedOff}; reason `capacity` or `conflict` (a feature moved) when nothing was written.
CREATE OR REPLACE FUNCTION omakase_commit_transitions(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_org text := p->>'orgId';
  v_capacity jsonb := nullif(p->'capacity', 'null'::jsonb);
  v_transitions jsonb := coalesce(p->'transitions', '[]'::jsonb);
  v_count int := jsonb_array_length(coalesce(p->'transitions', '[]'::jsonb));
  v_org_running int;
  v_project_running int;
  v_one jsonb;
  v_result jsonb;
  v_handed jsonb := '[]'::jsonb;
  v_first boolean := true;
BEGIN
  IF v_capacity IS NOT NULL THEN
    PERFORM pg_advisory_xact_lock(7411, hashtext(v_org));
    SELECT count(*), count(*) FILTER (WHERE project_id = v_capacity->>'projectId')
      INTO v_org_running, v_project_running
      FROM features
      WHERE org_id = v_org AND status IN (SELECT jsonb_array_elements_text(v_capacity->'activeStatuses'));
    IF v_project_running + v_count > (v_capacity->>'projectMax')::int
       OR v_org_running + v_count > (v_capacity->>'orgMax')::int THEN
      RETURN jsonb_build_object('committed', false, 'reason', 'capacity', 'handedOff', '[]'::jsonb);
    END IF;
  END IF;
  BEGIN
    FOR v_one IN SELECT * FROM jsonb_array_elements(v_transitions) LOOP
      -- The deciding item is completed with the first transition.
      v_result := omakase_commit_transition(v_one || jsonb_build_object('orgId', v_org,
        'completeWork', CASE WHEN v_first THEN p->'completeWork' ELSE 'null'::jsonb END,
        'handOff', p->'handOff'));
      IF NOT (v_result->>'committed')::boolean THEN
        RAISE EXCEPTION USING ERRCODE = 'OM001', MESSAGE = 'transition guard failed';
      END IF;
      v_handed := v_handed || (v_result->'handedOff');
      v_first := false;
    END LOOP;
  EXCEPTION WHEN SQLSTATE 'OM001' THEN
    RETURN jsonb_build_object('committed', false, 'reason', 'conflict', 'handedOff', '[]'::jsonb);
  END;
  IF v_count = 0 AND p ? 'completeWork' AND p->'completeWork' <> 'null'::jsonb THEN
    PERFORM omakase_complete_work(v_org, p->'completeWork'->>'id', p->'completeWork'->>'workerId');
  END IF;
  RETURN jsonb_build_object('committed', true, 'reason', null, 'handedOff', v_handed);
END $$;
