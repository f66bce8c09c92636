/** Linear issue → our feature fields; the trigger rule; acceptance criteria from checklists. */
import type { LinearSettings, Priority } from '@omakase/domain';
import type { LinearIssue } from './types';

const CHECKLIST = /^\s*[-*]\s+\[( |x|X)\]\s+(.+?)\s*$/;

/** Checklist items (`- [ ] …` / `- [x] …`) of a markdown description, in order. */
export function acceptanceCriteriaOf(markdown: string): string[] {
  return markdown
    .split('\n')
    .map((line) => CHECKLIST.exec(line)?.[2])
    .filter((item): item is string => Boolean(item));
}

export interface FeatureFields {
  title: string;
  description: string;
  acceptanceCriteria: string[];
  priority: Priority;
  category: string;
  estimate: number | null;
}

export function featureFieldsOf(
  issue: LinearIssue,
  settings: Pick<LinearSettings, 'triggerLabel'>,
): FeatureFields {
  const priority = Math.min(4, Math.max(0, Math.round(issue.priority))) as Priority;
  const trigger = settings.triggerLabel?.toLowerCase();
  const category = issue.labels.find((label) => label.toLowerCase() !== trigger) ?? 'general';
  return {
    title: issue.title.slice(0, 200),
    description: issue.description,
    acceptanceCriteria: acceptanceCriteriaOf(issue.description),
    priority,
    category: category.toLowerCase(),
    estimate: issue.estimate,
  };
}

/** Whether the issue is handed to the agents: in a configured team, with the trigger label or state, or delegated to us. */
export function isForAgents(issue: LinearIssue, settings: LinearSettings, appUserId: string | null): boolean {
  if (settings.teamIds.length > 0 && !settings.teamIds.includes(issue.teamId)) return false;
  if (appUserId && issue.delegateId === appUserId) return true;
  const label = settings.triggerLabel?.toLowerCase();
  if (label && issue.labels.some((l) => l.toLowerCase() === label)) return true;
  return Boolean(settings.triggerStateName && issue.state.name === settings.triggerStateName);
}
