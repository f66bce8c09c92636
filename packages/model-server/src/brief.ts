/**
 * The task brief the agent runner writes into its first user message (see README, "Prompt
 * contract"). The scripted model reads it the way a real model would read the prompt.
 */

import { AGENT_ROLES, type AgentRole } from '@omakase/domain';
import { type InjectedStep, parseInjectedSteps } from './scripts/injected';

export { AGENT_ROLES, type AgentRole };

export const SCRIPT_MARKERS = [
  'reject',
  'fail-tests',
  'bad-verdict',
  'slow',
  'escape',
  'forbidden-command',
] as const;
export type ScriptMarker = (typeof SCRIPT_MARKERS)[number];

export interface ReviewComment {
  file: string;
  line: number | null;
  body: string;
}

export interface Brief {
  role: AgentRole | null;
  featureKey: string;
  featureTitle: string;
  workspace: string;
  baseBranch: string;
  testCommand: string;
  acceptanceCriteria: string[];
  /** Comments of the previous review, when this run addresses one. */
  previousReview: ReviewComment[] | null;
  /** True when the input carries a previous (failed) test report. */
  hasPreviousTestReport: boolean;
  markers: Set<ScriptMarker>;
  /** Tool calls planted in the description for each role (see scripts/injected.ts). */
  injected: Partial<Record<AgentRole, InjectedStep[]>>;
}

const line = (text: string, label: string) =>
  new RegExp(`^${label}:[ \\t]*(.+)$`, 'm').exec(text)?.[1]?.trim() ?? null;

function listAfter(text: string, heading: RegExp): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((candidate) => heading.test(candidate));
  if (start < 0) return [];
  const items: string[] = [];
  for (const candidate of lines.slice(start + 1)) {
    const match = /^\s*[-*]\s+(.+)$/.exec(candidate);
    if (!match) break;
    items.push(match[1]!.trim());
  }
  return items;
}

export function parseBrief(text: string): Brief {
  const roleMatch = /\[omakase-role:(architect|coder|reviewer|tester)\]/.exec(text);
  const feature = /^Feature:[ \t]*(\S+)[ \t]+[—-][ \t]+(.+)$/m.exec(text);
  const markers = new Set<ScriptMarker>();
  for (const match of text.matchAll(/\[script:([a-z-]+)\]/g)) {
    if ((SCRIPT_MARKERS as readonly string[]).includes(match[1]!)) markers.add(match[1] as ScriptMarker);
  }
  const hasReview = /^#+ Previous review/m.test(text);
  return {
    role: (roleMatch?.[1] as AgentRole | undefined) ?? null,
    featureKey: feature?.[1] ?? 'DEMO-0',
    featureTitle: (feature?.[2] ?? 'Untitled feature').replace(/\[script:[a-z-]+\]/g, '').trim(),
    workspace: line(text, 'Workspace') ?? '.',
    baseBranch: line(text, 'Base branch') ?? 'main',
    testCommand: line(text, 'Test command') ?? 'npm test',
    acceptanceCriteria: listAfter(text, /^Acceptance criteria:/),
    previousReview: hasReview ? listAfter(text, /^#+ Previous review/).map(parseComment) : null,
    hasPreviousTestReport: /^#+ Previous test report/m.test(text),
    markers,
    injected: parseInjectedSteps(text),
  };
}

function parseComment(item: string): ReviewComment {
  const match = /^(\S+?)(?::(\d+))?:\s+(.+)$/.exec(item);
  if (!match) return { file: '', line: null, body: item };
  return { file: match[1]!, line: match[2] ? Number(match[2]) : null, body: match[3]! };
}
