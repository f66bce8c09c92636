/** Pipeline control and run logs in the /api/v1 registry (see routes.ts). */
import { FeatureDto, FeatureParams } from './features';
import { AnswerBody, RunEventsPage, RunEventsQuery, RunList, RunParams } from './pipeline';
import { ProjectDto, ProjectParams } from './projects';

const featureCommand = (name: 'start' | 'stop' | 'retry', summary: string) =>
  ({
    method: 'POST',
    path: `/api/v1/features/{featureId}/${name}`,
    operationId: `${name}Feature`,
    summary,
    tag: 'pipeline',
    action: name === 'stop' ? 'run:stop' : 'run:start',
    params: FeatureParams,
    status: 200,
    response: FeatureDto,
  }) as const;

const projectCommand = (name: 'start' | 'pause' | 'stop', summary: string) =>
  ({
    method: 'POST',
    path: `/api/v1/projects/{projectId}/${name}`,
    operationId: `${name}Project`,
    summary,
    tag: 'pipeline',
    action: name === 'start' ? 'run:start' : 'run:stop',
    params: ProjectParams,
    status: 200,
    response: ProjectDto,
  }) as const;

export const pipelineRoutes = {
  startFeature: featureCommand('start', 'Start a ready feature now, or resume a failed/cancelled one'),
  stopFeature: featureCommand('stop', 'Stop a feature: its agent ends within seconds; retry resumes it'),
  retryFeature: featureCommand('retry', 'Resume a failed or cancelled feature at the stage it stopped'),
  answerFeature: {
    method: 'POST',
    path: '/api/v1/features/{featureId}/answer',
    operationId: 'answerFeature',
    summary: "Answer a feature's needs-input question; the pipeline resumes",
    tag: 'pipeline',
    action: 'feature:answer',
    params: FeatureParams,
    body: AnswerBody,
    status: 200,
    response: FeatureDto,
  },
  startProject: projectCommand('start', "Let the orchestrator run the project's ready features"),
  pauseProject: projectCommand('pause', 'Start no new features; running stages finish'),
  stopProject: projectCommand('stop', 'Pause the project and stop every running feature'),
  listFeatureRuns: {
    method: 'GET',
    path: '/api/v1/features/{featureId}/runs',
    operationId: 'listFeatureRuns',
    summary: "A feature's agent runs with tokens, cost and compute time, and their totals",
    tag: 'runs',
    action: 'run:read',
    params: FeatureParams,
    status: 200,
    response: RunList,
  },
  listRunEvents: {
    method: 'GET',
    path: '/api/v1/runs/{runId}/events',
    operationId: 'listRunEvents',
    summary:
      "A run's events after `afterSeq`; with `Accept: text/event-stream`, a live Server-Sent Events stream resuming from `Last-Event-ID`",
    tag: 'runs',
    action: 'run:read',
    params: RunParams,
    query: RunEventsQuery,
    status: 200,
    response: RunEventsPage,
  },
} as const;
