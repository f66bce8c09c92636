/**
 * Documents the adapter sends through the SDK's raw client (one query for a page of issues with
 * their labels and relations, instead of one request per issue). Validated against Linear's
 * schema by the fake in tests.
 */
const ISSUE_FIELDS = `
  id identifier title description priority estimate url updatedAt
  team { id }
  project { id }
  state { id name type }
  delegate { id }
  labels(first: 50) { nodes { name } }
  relations(first: 50) { nodes { type relatedIssue { id } } }
  inverseRelations(first: 50) { nodes { type issue { id } } }
`;

export const ISSUES_PAGE = `query OmakaseIssues($first: Int!, $after: String, $filter: IssueFilter) {
  issues(first: $first, after: $after, filter: $filter, orderBy: createdAt) {
    nodes { ${ISSUE_FIELDS} }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const ISSUE_BY_ID = `query OmakaseIssue($id: String!) {
  issue(id: $id) { ${ISSUE_FIELDS} }
}`;

export const TEAM_STATES = `query OmakaseTeamStates($teamId: ID!) {
  workflowStates(first: 100, filter: { team: { id: { eq: $teamId } } }) {
    nodes { id name type team { id } }
  }
}`;

/** Settings pickers: the workspace's teams and labels (workspace-level and team-scoped). */
export const TEAMS = `query OmakaseTeams {
  teams(first: 100) { nodes { id key name } }
}`;

export const LABELS = `query OmakaseLabels {
  issueLabels(first: 250) { nodes { id name team { id } } }
}`;
