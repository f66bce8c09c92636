/** The live board: the server's board read model plus the stream's messages applied in order. */
import type { BoardDto, FeatureDto, RunSummaryDto, StreamMessage, ThoughtDto } from '@omakase/api-contract';
import { LIVE_RUN_STATUSES } from '@omakase/domain';

export interface BoardState {
  project: BoardDto['project'];
  features: Map<string, FeatureDto>;
  costs: Map<string, number>;
  /** Active (queued/running) runs by id. */
  runs: Map<string, RunSummaryDto>;
  thoughts: Map<string, ThoughtDto>;
  activity: ActivityItem[];
}

export interface ActivityItem {
  id: string;
  at: string;
  featureId: string | null;
  text: string;
}

/** Cards rendered per board column before "Show more": keeps a 1,000-feature board's HTML and hydration small. */
export const COLUMN_PAGE = 60;

const ACTIVE = new Set<string>(LIVE_RUN_STATUSES);
const MAX_ACTIVITY = 200;

export function boardFromDto(dto: BoardDto): BoardState {
  return {
    project: dto.project,
    features: new Map(dto.features.map((f) => [f.id, f])),
    costs: new Map(Object.entries(dto.costs)),
    runs: new Map(dto.activeRuns.map((r) => [r.id, r])),
    thoughts: new Map(Object.entries(dto.thoughts)),
    activity: [],
  };
}

export function resyncBoard(state: BoardState, dto: BoardDto): BoardState {
  return { ...boardFromDto(dto), activity: state.activity };
}

function withActivity(state: BoardState, item: Omit<ActivityItem, 'id'>): ActivityItem[] {
  const next = [{ ...item, id: `${item.at}-${state.activity.length}-${Math.random()}` }, ...state.activity];
  return next.slice(0, MAX_ACTIVITY);
}

/** Pure: returns a new state (maps copied only where they change). */
export function applyMessage(state: BoardState, message: StreamMessage): BoardState {
  switch (message.type) {
    case 'project':
      return { ...state, project: message.project };
    case 'feature': {
      const previous = state.features.get(message.feature.id);
      const features = new Map(state.features).set(message.feature.id, message.feature);
      const f = message.feature;
      const text = !previous
        ? `${f.key} created: ${f.title}`
        : previous.status !== f.status
          ? `${f.key} ${previous.status} → ${f.status}`
          : null;
      return {
        ...state,
        features,
        activity: text ? withActivity(state, { at: f.updatedAt, featureId: f.id, text }) : state.activity,
      };
    }
    case 'feature-deleted': {
      const previous = state.features.get(message.id);
      const features = new Map(state.features);
      features.delete(message.id);
      const text = previous ? `${previous.key} deleted` : null;
      return {
        ...state,
        features,
        activity: text
          ? withActivity(state, { at: new Date().toISOString(), featureId: null, text })
          : state.activity,
      };
    }
    case 'run': {
      const runs = new Map(state.runs);
      const { run } = message;
      const previous = runs.get(run.id);
      if (ACTIVE.has(run.status)) runs.set(run.id, run);
      else runs.delete(run.id);
      const costs = new Map(state.costs).set(run.featureId, message.featureCostUsd);
      const key = state.features.get(run.featureId)?.key ?? 'feature';
      const text = previous?.status === run.status ? null : `${run.role} ${run.status} on ${key}`;
      return {
        ...state,
        runs,
        costs,
        activity: text
          ? withActivity(state, {
              at: run.finishedAt ?? run.startedAt ?? run.createdAt,
              featureId: run.featureId,
              text,
            })
          : state.activity,
      };
    }
    case 'thought':
      return { ...state, thoughts: new Map(state.thoughts).set(message.thought.runId, message.thought) };
    case 'resync':
      return state;
  }
}

/** The active run of a feature (newest), if any. */
export function activeRunOf(state: BoardState, featureId: string): RunSummaryDto | undefined {
  let found: RunSummaryDto | undefined;
  for (const run of state.runs.values()) {
    if (run.featureId === featureId && (!found || run.createdAt > found.createdAt)) found = run;
  }
  return found;
}
