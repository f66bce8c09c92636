/** The questions put to a human when the pipeline cannot go on by itself. */
import type { PipelineStage } from './entities';

const MAX_LISTED = 10;

function bullets(items: readonly string[]): string {
  const listed = items.slice(0, MAX_LISTED).map((item) => `- ${item.trim()}`);
  if (items.length > MAX_LISTED) listed.push(`- … and ${items.length - MAX_LISTED} more`);
  return listed.length > 0 ? listed.join('\n') : '- (no details given)';
}

export function rejectedQuestion(comments: readonly string[]): string {
  return [
    'The reviewer rejected the approach:',
    bullets(comments),
    'How should the plan change? The architect will redo the plan with your answer.',
  ].join('\n');
}

export function reviewLimitQuestion(rounds: number, comments: readonly string[]): string {
  return [
    `The reviewer still requests changes after ${rounds} rework rounds. Latest comments:`,
    bullets(comments),
    'How should the coder resolve them (or which may be ignored)? Coding resumes with your answer.',
  ].join('\n');
}

export function testLimitQuestion(rounds: number, failures: readonly string[]): string {
  return [
    `Tests still fail after ${rounds} fix rounds. Latest failures:`,
    bullets(failures),
    'How should the coder fix them (or are the tests wrong)? Coding resumes with your answer.',
  ].join('\n');
}

/** The setup log's tail goes in verbatim, fenced longer than any backtick run inside it. */
export function setupFailedQuestion(exitCode: number | null, logTail: string): string {
  const fence = '`'.repeat(Math.max(3, ...[...logTail.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  const how = exitCode === null ? 'was stopped (time limit)' : `exited with code ${exitCode}`;
  return [
    `The project's setup command ${how}. The end of its output:`,
    `${fence}\n${logTail.trimEnd() || '(no output)'}\n${fence}`,
    'Fix the setup command in the project settings (or the repository), then answer to run the setup again — or answer `skip` to go on without it.',
  ].join('\n');
}

export function budgetQuestion(stage: PipelineStage, spentUsd: number, budgetUsd: number): string {
  return [
    `The feature spent $${spentUsd.toFixed(2)} of its $${budgetUsd.toFixed(2)} budget while ${stage}, so it was stopped.`,
    `Raise the budget or narrow the scope, then answer to resume ${stage}.`,
  ].join('\n');
}

/** The architect's plan, as far as its shape is known (`planSchema` in the runner contract). */
function planLines(plan: unknown): string[] {
  const p = (typeof plan === 'object' && plan !== null ? plan : {}) as Record<string, unknown>;
  const strings = (value: unknown) =>
    Array.isArray(value) ? value.filter((v) => typeof v === 'string') : [];
  const lines = [typeof p.summary === 'string' ? p.summary.trim() : '(no summary given)'];
  const steps = strings(p.steps);
  if (steps.length > 0) lines.push('Steps:', bullets(steps));
  const files = strings(p.files);
  if (files.length > 0) lines.push(`Files: ${files.slice(0, MAX_LISTED).join(', ')}`);
  const risks = strings(p.risks);
  if (risks.length > 0) lines.push('Risks:', bullets(risks));
  return lines;
}

export function planApprovalQuestion(plan: unknown): string {
  return [
    "The architect's plan:",
    ...planLines(plan),
    'Approve it to start coding, or say what should change: the architect then revises the plan.',
  ].join('\n');
}

/** An answer that approves the plan: "approve", "approved", "yes", "lgtm", "ok", "go ahead", "ship it". */
/** A setup-failed answer that goes on to the architect without an installed environment. */
export function skipsSetup(answer: string): boolean {
  return /^\s*skip\b/i.test(answer);
}

export function approvesPlan(answer: string): boolean {
  return /^\s*(approved?|yes|lgtm|ok(ay)?|go ahead|ship it)\b[\s.!]*$/i.test(answer);
}
