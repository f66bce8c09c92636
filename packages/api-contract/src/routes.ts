/**
 * The /api/v1 route registry. Route handlers take their schemas from here and the OpenAPI
 * document is generated from here, so the two cannot drift.
 */
import type { Action } from '@omakase/domain';
import type { z } from 'zod';
import { dashboardRoutes } from './dashboard-routes';
import {
  CreateFeatureBody,
  FeatureDto,
  FeatureList,
  FeatureParams,
  ProjectFeaturesParams,
  UpdateFeatureBody,
} from './features';
import { linearRoutes } from './linear-routes';
import { pipelineRoutes } from './pipeline-routes';
import { CreateProjectBody, ProjectDto, ProjectList, ProjectParams, UpdateProjectBody } from './projects';
import { securityRoutes } from './security-routes';
import { workRoutes } from './work-routes';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** What a caller must be allowed to do: the domain's RBAC actions. */
export type ApiAction = Action;

export interface RouteSpec {
  method: HttpMethod;
  /** OpenAPI-style template, e.g. `/api/v1/projects/{projectId}`. */
  path: string;
  operationId: string;
  summary: string;
  tag: 'projects' | 'features' | 'pipeline' | 'runs' | 'security' | 'integrations';
  /** Who may call: members of the token's org (default), or any signed-in user (`user`). */
  authentication?: 'organization' | 'user';
  action: ApiAction;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Success status and body; 204 and 302 (browser redirects) have none. */
  status: 200 | 201 | 204 | 302;
  response?: z.ZodType;
}

const NoContent = { status: 204 } as const;

export const routes = {
  listProjects: {
    method: 'GET',
    path: '/api/v1/projects',
    operationId: 'listProjects',
    summary: "List the organisation's projects",
    tag: 'projects',
    action: 'project:read',
    status: 200,
    response: ProjectList,
  },
  createProject: {
    method: 'POST',
    path: '/api/v1/projects',
    operationId: 'createProject',
    summary: 'Create a project',
    tag: 'projects',
    action: 'project:create',
    body: CreateProjectBody,
    status: 201,
    response: ProjectDto,
  },
  getProject: {
    method: 'GET',
    path: '/api/v1/projects/{projectId}',
    operationId: 'getProject',
    summary: 'Get a project',
    tag: 'projects',
    action: 'project:read',
    params: ProjectParams,
    status: 200,
    response: ProjectDto,
  },
  updateProject: {
    method: 'PATCH',
    path: '/api/v1/projects/{projectId}',
    operationId: 'updateProject',
    summary: 'Update a project',
    tag: 'projects',
    action: 'project:update',
    params: ProjectParams,
    body: UpdateProjectBody,
    status: 200,
    response: ProjectDto,
  },
  deleteProject: {
    method: 'DELETE',
    path: '/api/v1/projects/{projectId}',
    operationId: 'deleteProject',
    summary: 'Delete a project and its features',
    tag: 'projects',
    action: 'project:delete',
    params: ProjectParams,
    ...NoContent,
  },
  listFeatures: {
    method: 'GET',
    path: '/api/v1/projects/{projectId}/features',
    operationId: 'listFeatures',
    summary: "List a project's features",
    tag: 'features',
    action: 'feature:read',
    params: ProjectFeaturesParams,
    status: 200,
    response: FeatureList,
  },
  createFeature: {
    method: 'POST',
    path: '/api/v1/projects/{projectId}/features',
    operationId: 'createFeature',
    summary: 'Create a feature (dependencies are validated: unknown, self and cycles are refused)',
    tag: 'features',
    action: 'feature:create',
    params: ProjectFeaturesParams,
    body: CreateFeatureBody,
    status: 201,
    response: FeatureDto,
  },
  getFeature: {
    method: 'GET',
    path: '/api/v1/features/{featureId}',
    operationId: 'getFeature',
    summary: 'Get a feature',
    tag: 'features',
    action: 'feature:read',
    params: FeatureParams,
    status: 200,
    response: FeatureDto,
  },
  updateFeature: {
    method: 'PATCH',
    path: '/api/v1/features/{featureId}',
    operationId: 'updateFeature',
    summary: 'Update a feature',
    tag: 'features',
    action: 'feature:update',
    params: FeatureParams,
    body: UpdateFeatureBody,
    status: 200,
    response: FeatureDto,
  },
  deleteFeature: {
    method: 'DELETE',
    path: '/api/v1/features/{featureId}',
    operationId: 'deleteFeature',
    summary: 'Delete a feature',
    tag: 'features',
    action: 'feature:delete',
    params: FeatureParams,
    ...NoContent,
  },
  ...pipelineRoutes,
  ...securityRoutes,
  ...dashboardRoutes,
  ...linearRoutes,
  ...workRoutes,
} as const satisfies Record<string, RouteSpec>;

export type RouteName = keyof typeof routes;
