export { linearConnections, linearInbox, linearIssueLinks, linearOutbox } from './linear';
export { members, organizations } from './organizations';
export { featureDependencies, features, projects } from './projects';
export { agentRuns, runEvents } from './runs';
export { auditLog, invitations, orgDataKeys, orgSecrets } from './security';
export { workItems } from './work';
