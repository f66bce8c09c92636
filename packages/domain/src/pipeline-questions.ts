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

export function budgetQuestion(stage: PipelineStage, spentUsd: number, budgetUsd: number): string {
  return [
    `The feature spent $${spentUsd.toFixed(2)} of its $${budgetUsd.toFixed(2)} budget while ${stage}, so it was stopped.`,
    `Raise the budget or narrow the scope, then answer to resume ${stage}.`,
  ].join('\n');
}
