/**
 * The Linear API as the rest of the platform sees it. The only module that talks to
 * `@linear/sdk`; it maps SDK results and errors into the adapter's own types.
 */
import { LinearClient, LinearError, LinearErrorType } from '@linear/sdk';
import { z } from 'zod';
import { ISSUE_BY_ID, ISSUES_PAGE, LABELS, TEAM_STATES, TEAMS } from './documents';
import { LinearIntegrationError } from './errors';
import { DEFAULT_RETRY, type RateLimitState, type RetryPolicy, readRateLimit, withRetry } from './retry';
import type {
  AgentActivityContent,
  IssuePage,
  LinearCredentials,
  LinearIssue,
  LinearLabel,
  LinearTeam,
  LinearViewer,
  LinearWorkflowState,
} from './types';

export interface LinearGateway {
  viewer(): Promise<LinearViewer>;
  teamStates(teamId: string): Promise<LinearWorkflowState[]>;
  teams(): Promise<LinearTeam[]>;
  labels(): Promise<LinearLabel[]>;
  listIssues(opts: { teamIds: string[]; after?: string | null; first?: number }): Promise<IssuePage>;
  getIssue(id: string): Promise<LinearIssue | null>;
  setIssueState(issueId: string, stateId: string): Promise<void>;
  comment(issueId: string, body: string): Promise<string>;
  linkUrl(issueId: string, url: string, title: string): Promise<void>;
  agentActivity(sessionId: string, content: AgentActivityContent): Promise<void>;
  readonly stats: { requests: number; retries: number; rateLimit: RateLimitState | null };
}

export interface GatewayOptions {
  apiUrl?: string;
  /** Called for every request, so a refreshed token is picked up without rebuilding the gateway. */
  credentials: () => Promise<LinearCredentials>;
  retry?: RetryPolicy;
  onRetry?: (info: { attempt: number; delayMs: number; code: string }) => void;
}

const nodeId = z.object({ id: z.string() });
const issueSchema = z.object({
  id: z.string(),
  identifier: z.string(),
  title: z.string(),
  description: z.string().nullish(),
  priority: z.number(),
  estimate: z.number().nullish(),
  url: z.string(),
  updatedAt: z.string(),
  team: nodeId,
  project: nodeId.nullish(),
  state: z.object({ id: z.string(), name: z.string(), type: z.string() }),
  delegate: nodeId.nullish(),
  labels: z.object({ nodes: z.array(z.object({ name: z.string() })) }),
  relations: z.object({ nodes: z.array(z.object({ type: z.string(), relatedIssue: nodeId })) }),
  inverseRelations: z.object({ nodes: z.array(z.object({ type: z.string(), issue: nodeId })) }),
});

function toIssue(raw: z.infer<typeof issueSchema>): LinearIssue {
  return {
    id: raw.id,
    identifier: raw.identifier,
    title: raw.title,
    description: raw.description ?? '',
    priority: raw.priority,
    estimate: raw.estimate ?? null,
    url: raw.url,
    updatedAt: new Date(raw.updatedAt),
    teamId: raw.team.id,
    projectId: raw.project?.id ?? null,
    state: raw.state,
    labels: raw.labels.nodes.map((l) => l.name),
    blocks: raw.relations.nodes.filter((r) => r.type === 'blocks').map((r) => r.relatedIssue.id),
    blockedBy: raw.inverseRelations.nodes.filter((r) => r.type === 'blocks').map((r) => r.issue.id),
    delegateId: raw.delegate?.id ?? null,
  };
}

/** Maps SDK errors to coded, retry-aware errors (429 / RATELIMITED / complexity are retryable). */
export function translateLinearError(error: unknown): LinearIntegrationError {
  if (error instanceof LinearIntegrationError) return error;
  if (error instanceof LinearError) {
    const message = error.message;
    if (error.type === LinearErrorType.Ratelimited || error.status === 429) {
      return new LinearIntegrationError('rate_limited', message, true);
    }
    if (/complex/i.test(message)) return new LinearIntegrationError('too_complex', message, true);
    if (error.type === LinearErrorType.AuthenticationError || error.status === 401) {
      return new LinearIntegrationError('unauthorized', message);
    }
    const transient = error.type === LinearErrorType.NetworkError || (error.status ?? 0) >= 500;
    return new LinearIntegrationError('request_failed', message, transient);
  }
  return new LinearIntegrationError('request_failed', (error as Error)?.message ?? String(error), true);
}

export function createLinearGateway(opts: GatewayOptions): LinearGateway {
  const policy = opts.retry ?? DEFAULT_RETRY;
  const stats: LinearGateway['stats'] = { requests: 0, retries: 0, rateLimit: null };
  const resetOf = new WeakMap<LinearIntegrationError, Date | null>();

  const client = async () => new LinearClient({ ...(await opts.credentials()), apiUrl: opts.apiUrl });

  async function call<T>(fn: (c: LinearClient) => Promise<T>): Promise<T> {
    return withRetry(
      async () => {
        stats.requests++;
        try {
          return await fn(await client());
        } catch (error) {
          const translated = translateLinearError(error);
          const headers = (error as LinearError)?.raw?.response?.headers as Headers | undefined;
          const limit = readRateLimit(headers);
          if (limit) stats.rateLimit = limit;
          resetOf.set(translated, limit?.remaining === 0 ? limit.resetAt : null);
          throw translated;
        }
      },
      policy,
      ({ attempt, delayMs, error }) => {
        stats.retries++;
        opts.onRetry?.({ attempt, delayMs, code: error.code });
      },
      (error) => resetOf.get(error) ?? null,
    );
  }

  async function raw(query: string, variables: Record<string, unknown>) {
    return call(async (c) => {
      const response = await c.client.rawRequest<Record<string, unknown>, Record<string, unknown>>(
        query,
        variables,
      );
      const limit = readRateLimit(response.headers as Headers | undefined);
      if (limit) stats.rateLimit = limit;
      return response.data!;
    });
  }

  return {
    stats,
    viewer: () =>
      call(async (c) => {
        const viewer = await c.viewer;
        const organization = await c.organization;
        return { userId: viewer.id, organizationId: organization.id, organizationName: organization.name };
      }),
    async teamStates(teamId) {
      const data = await raw(TEAM_STATES, { teamId });
      const parsed = z
        .object({
          workflowStates: z.object({
            nodes: z.array(z.object({ id: z.string(), name: z.string(), type: z.string(), team: nodeId })),
          }),
        })
        .parse(data);
      return parsed.workflowStates.nodes.map((s) => ({
        id: s.id,
        name: s.name,
        type: s.type,
        teamId: s.team.id,
      }));
    },
    async teams() {
      const data = await raw(TEAMS, {});
      const team = z.object({ id: z.string(), key: z.string(), name: z.string() });
      return z.object({ teams: z.object({ nodes: z.array(team) }) }).parse(data).teams.nodes;
    },
    async labels() {
      const data = await raw(LABELS, {});
      const label = z.object({ id: z.string(), name: z.string(), team: nodeId.nullable() });
      return z
        .object({ issueLabels: z.object({ nodes: z.array(label) }) })
        .parse(data)
        .issueLabels.nodes.map((l) => ({ id: l.id, name: l.name, teamId: l.team?.id ?? null }));
    },
    async listIssues({ teamIds, after, first = 250 }) {
      const filter = teamIds.length > 0 ? { team: { id: { in: teamIds } } } : undefined;
      const data = await raw(ISSUES_PAGE, { first, after: after ?? null, filter });
      const parsed = z
        .object({
          issues: z.object({
            nodes: z.array(issueSchema),
            pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullish() }),
          }),
        })
        .parse(data);
      return {
        issues: parsed.issues.nodes.map(toIssue),
        endCursor: parsed.issues.pageInfo.endCursor ?? null,
        hasNextPage: parsed.issues.pageInfo.hasNextPage,
      };
    },
    async getIssue(id) {
      try {
        const data = await raw(ISSUE_BY_ID, { id });
        const parsed = z.object({ issue: issueSchema.nullish() }).parse(data);
        return parsed.issue ? toIssue(parsed.issue) : null;
      } catch (error) {
        if (error instanceof LinearIntegrationError && /not found|entity not found/i.test(error.message))
          return null;
        throw error;
      }
    },
    setIssueState: (issueId, stateId) =>
      call(async (c) => {
        await c.updateIssue(issueId, { stateId });
      }),
    comment: (issueId, body) =>
      call(async (c) => {
        const payload = await c.createComment({ issueId, body });
        return payload.commentId ?? '';
      }),
    linkUrl: (issueId, url, title) =>
      call(async (c) => {
        await c.createAttachment({ issueId, url, title });
      }),
    agentActivity: (agentSessionId, content) =>
      call(async (c) => {
        await c.createAgentActivity({ agentSessionId, content });
      }),
  };
}
