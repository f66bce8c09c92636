/** The adapter's own view of Linear data: plain objects, no SDK types. */

export interface LinearIssue {
  id: string;
  identifier: string;
  title: string;
  description: string;
  /** 0 none, 1 urgent … 4 low. */
  priority: number;
  estimate: number | null;
  url: string;
  updatedAt: Date;
  teamId: string;
  projectId: string | null;
  state: { id: string; name: string; type: string };
  labels: string[];
  /** Ids of issues that block this one ("blocked by"). */
  blockedBy: string[];
  /** Ids of issues this one blocks. */
  blocks: string[];
  delegateId: string | null;
}

export interface LinearWorkflowState {
  id: string;
  name: string;
  type: string;
  teamId: string;
}

export interface LinearTeam {
  id: string;
  key: string;
  name: string;
}

export interface LinearLabel {
  id: string;
  name: string;
  /** null for a workspace-level label. */
  teamId: string | null;
}

export interface LinearViewer {
  userId: string;
  organizationId: string;
  organizationName: string;
}

export type AgentActivityContent =
  | { type: 'thought'; body: string }
  | { type: 'action'; action: string; parameter: string; result?: string }
  | { type: 'response'; body: string }
  | { type: 'error'; body: string };

export interface IssuePage {
  issues: LinearIssue[];
  endCursor: string | null;
  hasNextPage: boolean;
}

export type LinearCredentials = { apiKey: string } | { accessToken: string };
