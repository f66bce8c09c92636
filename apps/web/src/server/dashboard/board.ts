/** The board read model: five queries however many features the project has. */
import type { BoardDto, RunSummaryDto, ThoughtDto } from '@omakase/api-contract';
import type { AgentRun, Project, RunEvent, TenantStore } from '@omakase/domain';
import { toFeatureDto, toProjectDto } from '../serialize';

export function toRunSummaryDto(run: AgentRun): RunSummaryDto {
  return {
    id: run.id,
    featureId: run.featureId,
    role: run.role,
    status: run.status,
    attempt: run.attempt,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    tokensIn: run.tokensIn,
    tokensOut: run.tokensOut,
    costUsd: run.costUsd,
  };
}

export function toThoughtDto(event: RunEvent): ThoughtDto {
  const text = typeof event.payload.text === 'string' ? event.payload.text : '';
  return { runId: event.runId, text: text.slice(0, 500), at: event.createdAt.toISOString() };
}

export async function loadBoard(store: TenantStore, project: Project): Promise<BoardDto> {
  const [features, costs, activeRuns] = await Promise.all([
    store.features.list(project.id),
    store.runs.costByFeatures(project.id),
    store.runs.listActiveByProject(project.id),
  ]);
  const thoughts = await store.events.latestOfType(
    activeRuns.map((r) => r.id),
    'thought',
  );
  return {
    project: toProjectDto(project),
    features: features.map(toFeatureDto),
    costs: Object.fromEntries([...costs].map(([id, totals]) => [id, totals.costUsd])),
    activeRuns: activeRuns.map(toRunSummaryDto),
    thoughts: Object.fromEntries([...thoughts].map(([runId, event]) => [runId, toThoughtDto(event)])),
  };
}
