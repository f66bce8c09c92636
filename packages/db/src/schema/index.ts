export { members, organizations } from './organizations';
export { featureDependencies, features, projects } from './projects';
export { agentRuns, runEvents } from './runs';
export { workItems } from './work';
export { auditLog, invitations, orgDataKeys, orgSecrets } from './security';
export { linearConnections, linearInbox, linearIssueLinks, linearOutbox } from './linear';
