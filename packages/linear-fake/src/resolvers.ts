/** Resolvers over the fake workspace for the queries and mutations the platform sends. */
import { randomUUID } from 'node:crypto';
import type { FakeIssue, FakeWorkspace } from './state';

export interface FakeContext {
  userId: string;
  /** Emits the webhook a real mutation causes, with the caller as actor. */
  emit: (type: string, action: string, data: Record<string, unknown>, actorId: string) => void;
}

// biome-ignore lint/suspicious/noExplicitAny: GraphQL arguments, already validated against the schema by graphql-js.
type Args = Record<string, any>;
const conn = <T>(nodes: T[]) => ({ nodes, pageInfo: { hasNextPage: false, hasPreviousPage: false } });

export function fakeResolvers(ws: FakeWorkspace) {
  const issueOrThrow = (id: string) => {
    const issue = ws.findIssue(id);
    if (!issue) throw new Error('Entity not found: Issue');
    return issue;
  };
  const user = (id: string | null) =>
    id === ws.appUser.id ? ws.appUser : id === ws.human.id ? ws.human : null;

  return {
    Query: {
      viewer: (_: unknown, __: Args, ctx: FakeContext) => user(ctx.userId),
      organization: () => ws.organization,
      issue: (_: unknown, { id }: Args) => issueOrThrow(id),
      teams: () => conn([...ws.teams.values()]),
      issueLabels: () => conn([...ws.labels.values()]),
      workflowStates: (_: unknown, { filter }: Args) => {
        const teamId = filter?.team?.id?.eq;
        return conn([...ws.states.values()].filter((s) => !teamId || s.teamId === teamId));
      },
      issues: (_: unknown, { first = 50, after, filter }: Args) => {
        const teams: string[] | undefined =
          filter?.team?.id?.in ?? (filter?.team?.id?.eq ? [filter.team.id.eq] : undefined);
        const all = [...ws.issues.values()]
          .filter((i) => !teams || teams.includes(i.teamId))
          .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
        const start = after ? all.findIndex((i) => i.id === after) + 1 : 0;
        const nodes = all.slice(start, start + Math.min(first, 250));
        return {
          nodes,
          pageInfo: {
            hasNextPage: start + nodes.length < all.length,
            hasPreviousPage: start > 0,
            startCursor: nodes[0]?.id ?? null,
            endCursor: nodes.at(-1)?.id ?? null,
          },
        };
      },
    },
    Issue: {
      identifier: (i: FakeIssue) => ws.identifier(i),
      url: (i: FakeIssue) => ws.url(i),
      team: (i: FakeIssue) => ws.teams.get(i.teamId),
      state: (i: FakeIssue) => ws.states.get(i.stateId),
      delegate: (i: FakeIssue) => user(i.delegateId),
      project: () => null,
      labels: (i: FakeIssue) => conn(i.labelIds.map((id) => ws.labels.get(id)!)),
      relations: (i: FakeIssue) => conn([...ws.relations.values()].filter((r) => r.issueId === i.id)),
      inverseRelations: (i: FakeIssue) =>
        conn([...ws.relations.values()].filter((r) => r.relatedIssueId === i.id)),
      comments: (i: FakeIssue) => conn(ws.comments.filter((c) => c.issueId === i.id)),
    },
    IssueRelation: {
      issue: (r: { issueId: string }) => ws.issues.get(r.issueId),
      relatedIssue: (r: { relatedIssueId: string }) => ws.issues.get(r.relatedIssueId),
    },
    WorkflowState: { team: (s: { teamId: string }) => ws.teams.get(s.teamId) },
    // The fake's labels are workspace-level.
    IssueLabel: { team: () => null },
    Mutation: {
      issueUpdate: (_: unknown, { id, input }: Args, ctx: FakeContext) => {
        const issue = issueOrThrow(id);
        const updatedFrom: Record<string, unknown> = {};
        for (const key of ['stateId', 'title', 'description', 'priority', 'estimate', 'labelIds'] as const) {
          if (input[key] !== undefined) {
            updatedFrom[key] = issue[key];
            (issue as unknown as Record<string, unknown>)[key] = input[key];
          }
        }
        if (updatedFrom.stateId !== undefined && updatedFrom.stateId !== issue.stateId) {
          ws.stateChanges.push({
            issueId: issue.id,
            state: ws.states.get(issue.stateId)!.name,
            userId: ctx.userId,
          });
        }
        issue.updatedAt = ws.tick();
        ctx.emit('Issue', 'update', { ...ws.issueData(issue), updatedFrom }, ctx.userId);
        return { success: true, lastSyncId: 1, issue };
      },
      commentCreate: (_: unknown, { input }: Args, ctx: FakeContext) => {
        const issue = issueOrThrow(input.issueId);
        const comment = {
          id: randomUUID(),
          issueId: issue.id,
          body: input.body ?? '',
          userId: ctx.userId,
          createdAt: ws.tick(),
        };
        ws.comments.push(comment);
        ctx.emit('Comment', 'create', { ...comment, issueId: issue.id }, ctx.userId);
        return { success: true, lastSyncId: 1, comment };
      },
      attachmentCreate: (_: unknown, { input }: Args) => {
        const issue = issueOrThrow(input.issueId);
        const existing = ws.attachments.find((a) => a.issueId === issue.id && a.url === input.url);
        const attachment = existing ?? {
          id: randomUUID(),
          issueId: issue.id,
          url: input.url,
          title: input.title,
        };
        if (!existing) ws.attachments.push(attachment);
        return { success: true, lastSyncId: 1, attachment };
      },
      agentActivityCreate: (_: unknown, { input }: Args) => {
        if (!ws.sessions.has(input.agentSessionId)) throw new Error('Entity not found: AgentSession');
        const activity = {
          id: randomUUID(),
          sessionId: input.agentSessionId,
          content: input.content,
          signal: input.signal ?? null,
          createdAt: ws.tick(),
        };
        ws.activities.push(activity);
        return { success: true, lastSyncId: 1, agentActivity: activity };
      },
    },
  };
}
