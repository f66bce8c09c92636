export { testBaselines } from './baselines';
export { linearConnections, linearInbox, linearIssueLinks, linearOutbox } from './linear';
export { members, organizations } from './organizations';
export { featureDependencies, features, projects } from './projects';
export { rateLimitWindows } from './rate-limits';
export { agentRuns, runEvents } from './runs';
export { auditLog, invitations, orgDataKeys, orgSecrets } from './security';
export { WARM_RUNNER_STATUSES, warmRunners } from './warm-pool';
export { workItems } from './work';
