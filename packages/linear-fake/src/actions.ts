/** What a person does in Linear, as test steps: each changes the workspace and sends the webhook. */
import { randomUUID } from 'node:crypto';
import type { FakeLinear } from './server';
import type { FakeIssue } from './state';

export function createIssue(
  fake: FakeLinear,
  input: Partial<FakeIssue> & { teamId: string; title: string; labels?: string[] },
) {
  const { labels, ...rest } = input;
  const issue = fake.ws.newIssue({ ...rest, labelIds: (labels ?? []).map((name) => fake.ws.label(name).id) });
  fake.emit('Issue', 'create', fake.ws.issueData(issue), fake.ws.human.id);
  return issue;
}

export function updateIssue(
  fake: FakeLinear,
  issue: FakeIssue,
  patch: Partial<FakeIssue> & { labels?: string[] },
) {
  const { labels, ...rest } = patch;
  Object.assign(issue, rest);
  if (labels) issue.labelIds = labels.map((name) => fake.ws.label(name).id);
  issue.updatedAt = fake.ws.tick();
  fake.emit('Issue', 'update', fake.ws.issueData(issue), fake.ws.human.id);
  return issue;
}

export function removeIssue(fake: FakeLinear, issue: FakeIssue) {
  fake.ws.issues.delete(issue.id);
  fake.emit('Issue', 'remove', { ...fake.ws.issueData(issue), updatedAt: fake.ws.tick() }, fake.ws.human.id);
}

/** `blocker` blocks `blocked` (a "blocks" relation from blocker to blocked). */
export function addBlocks(fake: FakeLinear, blocker: FakeIssue, blocked: FakeIssue) {
  const relation = { id: randomUUID(), type: 'blocks', issueId: blocker.id, relatedIssueId: blocked.id };
  fake.ws.relations.set(relation.id, relation);
  fake.emit('IssueRelation', 'create', { ...relation }, fake.ws.human.id);
  return relation;
}

/** The user delegates the issue to our app: Linear opens an agent session and notifies us. */
export function delegateToApp(fake: FakeLinear, issue: FakeIssue) {
  const session = { id: randomUUID(), issueId: issue.id, appUserId: fake.ws.appUser.id };
  fake.ws.sessions.set(session.id, session);
  issue.delegateId = fake.ws.appUser.id;
  issue.updatedAt = fake.ws.tick();
  fake.emit('AgentSessionEvent', 'created', {}, fake.ws.human.id, {
    appUserId: fake.ws.appUser.id,
    oauthClientId: fake.oauth.clientId,
    agentSession: { id: session.id, issueId: issue.id, issue: fake.ws.issueData(issue), status: 'pending' },
  });
  return session;
}

/** The user writes to the agent session; `stop` is the stop button. */
export function promptSession(fake: FakeLinear, sessionId: string, body: string, signal?: 'stop') {
  const session = fake.ws.sessions.get(sessionId)!;
  fake.emit('AgentSessionEvent', 'prompted', {}, fake.ws.human.id, {
    appUserId: fake.ws.appUser.id,
    oauthClientId: fake.oauth.clientId,
    agentSession: { id: session.id, issueId: session.issueId, status: 'active' },
    agentActivity: { id: randomUUID(), content: { type: 'prompt', body }, signal: signal ?? null },
  });
}
