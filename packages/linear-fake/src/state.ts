/** The fake's data: one Linear workspace with teams, workflow states, labels, issues and agent sessions. */
import { randomUUID } from 'node:crypto';

export interface FakeIssue {
  id: string;
  number: number;
  teamId: string;
  title: string;
  description: string;
  priority: number;
  estimate: number | null;
  stateId: string;
  labelIds: string[];
  projectId: string | null;
  delegateId: string | null;
  createdAt: string;
  updatedAt: string;
}
export interface FakeState {
  id: string;
  name: string;
  type: string;
  teamId: string;
  position: number;
}
export interface FakeComment {
  id: string;
  issueId: string;
  body: string;
  userId: string;
  createdAt: string;
}
export interface FakeRelation {
  id: string;
  type: string;
  issueId: string;
  relatedIssueId: string;
}
export interface FakeActivity {
  id: string;
  sessionId: string;
  content: Record<string, unknown>;
  signal: string | null;
  createdAt: string;
}

export class FakeWorkspace {
  readonly organization = { id: randomUUID(), name: 'Fake Linear', urlKey: 'fake' };
  readonly human = { id: randomUUID(), name: 'Hana Human', email: 'hana@example.com' };
  readonly appUser = { id: randomUUID(), name: 'Omakase', email: 'omakase@apps.linear.app' };
  readonly teams = new Map<string, { id: string; key: string; name: string }>();
  readonly states = new Map<string, FakeState>();
  readonly labels = new Map<string, { id: string; name: string }>();
  readonly issues = new Map<string, FakeIssue>();
  readonly comments: FakeComment[] = [];
  readonly relations = new Map<string, FakeRelation>();
  readonly attachments: { id: string; issueId: string; url: string; title: string }[] = [];
  readonly sessions = new Map<string, { id: string; issueId: string; appUserId: string }>();
  readonly activities: FakeActivity[] = [];
  /** Every workflow state change made through the API, in order (an issue's state is a snapshot). */
  readonly stateChanges: { issueId: string; state: string; userId: string }[] = [];
  private clock = Date.now();

  /** Strictly increasing timestamps, so `updatedAt` orders versions even within one millisecond. */
  tick(): string {
    this.clock = Math.max(this.clock + 1, Date.now());
    return new Date(this.clock).toISOString();
  }

  addTeam(key: string, name = key) {
    const team = { id: randomUUID(), key, name };
    this.teams.set(team.id, team);
    const defaults: [string, string][] = [
      ['Backlog', 'backlog'],
      ['Todo', 'unstarted'],
      ['In Progress', 'started'],
      ['In Review', 'started'],
      ['Done', 'completed'],
      ['Canceled', 'canceled'],
    ];
    defaults.forEach(([stateName, type], position) => {
      const state = { id: randomUUID(), name: stateName, type, teamId: team.id, position };
      this.states.set(state.id, state);
    });
    return team;
  }

  label(name: string) {
    for (const label of this.labels.values()) if (label.name === name) return label;
    const label = { id: randomUUID(), name };
    this.labels.set(label.id, label);
    return label;
  }

  stateNamed(teamId: string, name: string): FakeState {
    const state = [...this.states.values()].find((s) => s.teamId === teamId && s.name === name);
    if (!state) throw new Error(`no state ${name} in team ${teamId}`);
    return state;
  }

  identifier(issue: FakeIssue) {
    return `${this.teams.get(issue.teamId)!.key}-${issue.number}`;
  }

  url(issue: FakeIssue) {
    return `https://linear.app/${this.organization.urlKey}/issue/${this.identifier(issue)}`;
  }

  findIssue(idOrIdentifier: string): FakeIssue | undefined {
    return (
      this.issues.get(idOrIdentifier) ??
      [...this.issues.values()].find((i) => this.identifier(i) === idOrIdentifier)
    );
  }

  newIssue(input: Partial<FakeIssue> & { teamId: string; title: string }): FakeIssue {
    const now = this.tick();
    const number = [...this.issues.values()].filter((i) => i.teamId === input.teamId).length + 1;
    const issue: FakeIssue = {
      id: randomUUID(),
      number,
      description: '',
      priority: 0,
      estimate: null,
      stateId: this.stateNamed(input.teamId, 'Todo').id,
      labelIds: [],
      projectId: null,
      delegateId: null,
      createdAt: now,
      ...input,
      updatedAt: now,
    };
    this.issues.set(issue.id, issue);
    return issue;
  }

  /** The webhook `data` of an issue, shaped like Linear's IssueWebhookPayload. */
  issueData(issue: FakeIssue) {
    const state = this.states.get(issue.stateId)!;
    return {
      id: issue.id,
      identifier: this.identifier(issue),
      number: issue.number,
      title: issue.title,
      description: issue.description,
      priority: issue.priority,
      estimate: issue.estimate,
      teamId: issue.teamId,
      stateId: issue.stateId,
      state: { id: state.id, name: state.name, type: state.type, color: '#000' },
      labelIds: issue.labelIds,
      labels: issue.labelIds.map((id) => ({ id, name: this.labels.get(id)!.name, color: '#000' })),
      delegateId: issue.delegateId,
      url: this.url(issue),
      createdAt: issue.createdAt,
      updatedAt: issue.updatedAt,
    };
  }
}
