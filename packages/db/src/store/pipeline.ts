/**
 * The pipeline's units of work on Postgres: each is one statement — a snapshot read, or a call of
 * one of migration 0013's functions, which checks the guard and writes (and NOTIFYs) in one
 * server-side transaction. Inside a store transaction they join it.
 */
import type {
  ClaimedWork,
  PipelineUnits,
  RunId,
  RunMove,
  RunSnapshot,
  RunStatus,
  TransitionWrites,
  WorkHandOff,
} from '@omakase/domain';
import { sql } from 'drizzle-orm';
import type { agentRuns, features, projects } from '../schema';
import { toWorkItem, type WorkRow } from '../work-queue';
import type { TenantContext } from './context';
import { needsInputToJson, toFeature, toProject, toRun } from './mappers';

export function pipelineUnits(ctx: TenantContext): PipelineUnits {
  const call = async (statement: ReturnType<typeof sql>) => {
    const [row] = await ctx.read((db) => db.execute<{ ok: boolean }>(statement));
    return row?.ok === true;
  };
  const claimed = (work: ClaimedWork | undefined) => (work ? { id: work.id, workerId: work.workerId } : null);

  return {
    runSnapshot: async (runId) => {
      const [row] = await ctx.read((db) => db.execute<{ snapshot: string }>(snapshotQuery(ctx, runId)));
      return row ? toSnapshot(JSON.parse(row.snapshot) as SnapshotJson) : null;
    },

    launchSnapshot: async (runId) => {
      const [row] = await ctx.read((db) => db.execute<{ snapshot: string }>(launchQuery(ctx, runId)));
      if (!row) return null;
      const { spent_usd, ...json } = JSON.parse(row.snapshot) as SnapshotJson & { spent_usd: number };
      const { run, feature, project } = toSnapshot({ ...json, runs: [] });
      return { run, feature, project, spentUsd: Number(spent_usd) };
    },

    commitTransition: async (transition, opts) => {
      const json = transitionJson(ctx, transition, opts?.completeWork, opts?.handOff);
      const [row] = await ctx.read((db) =>
        db.execute<{ result: string }>(sql`select omakase_commit_transition(${json}::jsonb)::text as result`),
      );
      const result = JSON.parse(row!.result) as { committed: boolean; handedOff: WorkRow[] };
      return { committed: result.committed, handedOff: result.handedOff.map(toWorkItem) };
    },

    commitTransitions: async (transitions, opts) => {
      const json = JSON.stringify({
        orgId: ctx.orgId,
        transitions: transitions.map((t) => JSON.parse(transitionJson(ctx, t, undefined, undefined))),
        capacity: opts?.capacity ?? null,
        completeWork: opts?.completeWork ?? null,
      });
      const [row] = await ctx.read((db) =>
        db.execute<{ result: string }>(
          sql`select omakase_commit_transitions(${json}::jsonb)::text as result`,
        ),
      );
      const result = JSON.parse(row!.result) as {
        committed: boolean;
        reason: 'capacity' | 'conflict' | null;
      };
      return { committed: result.committed, reason: result.reason };
    },

    finishRun: (runId, finish, opts) =>
      call(
        sql`select omakase_finish_run(${JSON.stringify({
          ...finish,
          orgId: ctx.orgId,
          runId,
          finishedAt: finish.finishedAt.toISOString(),
          startedAt: finish.startedAt?.toISOString(),
          completeWork: claimed(opts?.completeWork),
        })}::jsonb) as ok`,
      ),

    moveRun: async (runId, move: RunMove) => {
      const [from, startedAt, exitReason, baseCommit] =
        move.to === 'running'
          ? ['queued', move.startedAt.toISOString(), null, move.baseCommit ?? null]
          : ['running', null, move.exitReason, null];
      const [row] = await ctx.read((db) =>
        db.execute<{ moved: string }>(sql`select omakase_move_run(${ctx.orgId}, ${runId}, ${from},
          ${move.to}, ${startedAt}::timestamptz, ${exitReason}, ${baseCommit})::text as moved`),
      );
      return JSON.parse(row!.moved) as { moved: boolean; status: RunStatus | null };
    },
  };
}

function transitionJson(
  ctx: TenantContext,
  t: TransitionWrites,
  completeWork: ClaimedWork | undefined,
  handOff: WorkHandOff | undefined,
) {
  const { needsInput, ...patch } = t.patch;
  return JSON.stringify({
    orgId: ctx.orgId,
    featureId: t.featureId,
    expectedStatus: t.expectedStatus,
    patch: needsInput === undefined ? patch : { ...patch, needsInput: needsInputToJson(needsInput) },
    createRun: t.createRun ?? null,
    cancelLiveRuns: t.cancelLiveRuns
      ? { finishedAt: t.cancelLiveRuns.finishedAt.toISOString(), exitReason: t.cancelLiveRuns.exitReason }
      : null,
    enqueue: t.enqueue.map((item) => ({ ...item, payload: item.payload ?? {} })),
    completeWork: completeWork ? { id: completeWork.id, workerId: completeWork.workerId } : null,
    handOff: handOff ?? null,
  });
}

/** The run `r`'s row, its feature (with its dependencies in order) and its project, as JSON fields. */
const runFeatureProject = sql.raw(`
    'run', to_jsonb(r),
    'feature', (select to_jsonb(f) || jsonb_build_object('depends_on', coalesce((
        select array_agg(d.depends_on_id order by d.position) from feature_dependencies d
        where d.org_id = f.org_id and d.feature_id = f.id), '{}'))
      from features f where f.org_id = r.org_id and f.id = r.feature_id),
    'project', (select to_jsonb(p) from projects p where p.org_id = r.org_id and p.id = r.project_id)`);

/** The run, its feature and project, and the feature's runs, as JSON text. */
const snapshotQuery = (ctx: TenantContext, runId: RunId) => sql`
  select json_build_object(${runFeatureProject},
    'runs', (select coalesce(jsonb_agg(to_jsonb(x) order by x.created_at, x.id), '[]'::jsonb)
      from agent_runs x where x.org_id = r.org_id and x.feature_id = r.feature_id)
  )::text as snapshot
  from agent_runs r where r.org_id = ${ctx.orgId} and r.id = ${runId}`;

/** The run, its feature and project, and the sum of the feature's run costs, as JSON text. */
const launchQuery = (ctx: TenantContext, runId: RunId) => sql`
  select json_build_object(${runFeatureProject},
    'spent_usd', (select coalesce(sum(x.cost_usd), 0)::float8
      from agent_runs x where x.org_id = r.org_id and x.feature_id = r.feature_id)
  )::text as snapshot
  from agent_runs r where r.org_id = ${ctx.orgId} and r.id = ${runId}`;

type JsonRow = Record<string, unknown>;
interface SnapshotJson {
  run: JsonRow;
  feature: JsonRow | null;
  runs: JsonRow[];
  project: JsonRow | null;
}

const TIMESTAMPS = new Set(['created_at', 'updated_at', 'started_at', 'finished_at']);

/** A `to_jsonb` row as drizzle would have selected it: camelCase keys, timestamps as dates. */
function asSelected<T>(row: JsonRow): T {
  const out: JsonRow = {};
  for (const [key, value] of Object.entries(row)) {
    const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    out[camel] = TIMESTAMPS.has(key) && typeof value === 'string' ? new Date(value) : value;
  }
  return out as T;
}

function toSnapshot(json: SnapshotJson): RunSnapshot {
  const feature =
    json.feature && asSelected<typeof features.$inferSelect & { dependsOn: string[] }>(json.feature);
  return {
    run: toRun(asSelected<typeof agentRuns.$inferSelect>(json.run)),
    feature: feature ? toFeature(feature, feature.dependsOn) : null,
    runs: json.runs.map((run) => toRun(asSelected<typeof agentRuns.$inferSelect>(run))),
    project: json.project ? toProject(asSelected<typeof projects.$inferSelect>(json.project)) : null,
  };
}
