/** Dashboard reads in the /api/v1 registry (see routes.ts). */
import { z } from 'zod';
import { BoardDto, FeatureDiffDto } from './dashboard';
import { FeatureParams } from './features';
import { ProjectParams } from './projects';

/** EventSource cannot send `Last-Event-ID` on its first connection: the cursor may come as a query. */
export const ProjectStreamQuery = z.object({ lastEventId: z.string().optional() });

export const dashboardRoutes = {
  getProjectBoard: {
    method: 'GET',
    path: '/api/v1/projects/{projectId}/board',
    operationId: 'getProjectBoard',
    summary: "A project's board: features, cost per feature, active runs and their latest thoughts",
    tag: 'projects',
    action: 'feature:read',
    params: ProjectParams,
    status: 200,
    response: BoardDto,
  },
  streamProject: {
    method: 'GET',
    path: '/api/v1/projects/{projectId}/stream',
    operationId: 'streamProject',
    summary:
      "Server-Sent Events of a project's changes (features, runs, thoughts), resuming from `Last-Event-ID`; a `resync` message asks the client to re-read the board",
    tag: 'projects',
    action: 'feature:read',
    params: ProjectParams,
    query: ProjectStreamQuery,
    status: 200,
  },
  getFeatureDiff: {
    method: 'GET',
    path: '/api/v1/features/{featureId}/diff',
    operationId: 'getFeatureDiff',
    summary: "The feature branch's diff against the project's default branch (size-capped)",
    tag: 'runs',
    action: 'run:read',
    params: FeatureParams,
    status: 200,
    response: FeatureDiffDto,
  },
} as const;
