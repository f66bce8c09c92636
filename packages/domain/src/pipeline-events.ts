/** The pipeline's vocabulary: its state, the events it accepts and the effects it asks for. */
import type { FeatureStatus, PipelineCounters, PipelineStage, RunRole } from './entities';

/** Exactly what is persisted on the feature: `status` and `counters` (which carry `stage`). */
export interface PipelineState {
  status: FeatureStatus;
  counters: PipelineCounters;
}

export interface PipelineLimits {
  /** Review → coding back edges allowed before asking a human. */
  maxReviewRounds: number;
  /** Test failure → coding back edges allowed before asking a human. */
  maxTestRounds: number;
  /** Attempts of one stage (agent run or branch push) before the feature fails. */
  maxStageAttempts: number;
  /** Ask a human to approve the architect's plan before coding starts (project setting). */
  planApproval?: boolean;
}

export const DEFAULT_PIPELINE_LIMITS: PipelineLimits = {
  maxReviewRounds: 3,
  maxTestRounds: 3,
  maxStageAttempts: 3,
};

export const REVIEW_VERDICTS = ['APPROVE', 'REQUEST_CHANGES', 'REJECT'] as const;
export type ReviewVerdict = (typeof REVIEW_VERDICTS)[number];

export type PipelineEvent =
  /** The scheduler picked the pending feature. */
  | { type: 'start' }
  /** The feature's environment is installed (or restored from the project's cache). */
  | { type: 'setup_ready'; cached: boolean }
  /** The project's setup command failed: a human must look (`logTail` is the end of its output). */
  | { type: 'setup_failed'; exitCode: number | null; logTail: string }
  /** The architect submitted its plan. */
  | { type: 'plan_ready'; plan: unknown }
  /** The coder finished its changes. */
  | { type: 'code_ready'; summary: string }
  | { type: 'review'; verdict: ReviewVerdict; comments: string[] }
  | { type: 'test_report'; passed: boolean; failures: string[] }
  | { type: 'branch_pushed'; branchName: string; pullRequestUrl: string | null }
  /** The running stage's agent crashed/errored, or the push failed. `attempt` is the failed one (1-based). */
  | { type: 'stage_failed'; attempt: number; reason: string }
  | { type: 'budget_exceeded'; spentUsd: number; budgetUsd: number }
  | { type: 'cancel' }
  /** The ticket the feature came from was deleted (a Linear issue removed). */
  | { type: 'source_removed' }
  | { type: 'retry' }
  | { type: 'answer'; answer: string };

/** What a started agent is given, on top of the feature itself. */
export type AgentInput =
  | { kind: 'setup' }
  | { kind: 'ticket' }
  | { kind: 'plan'; plan: unknown }
  | { kind: 'code_ready'; summary: string }
  | { kind: 'review_changes'; comments: string[] }
  | { kind: 'review_approved'; comments: string[] }
  | { kind: 'test_failures'; failures: string[] }
  | { kind: 'human_answer'; answer: string }
  /** Re-run the failed attempt: reuse that run's input. */
  | { kind: 'retry'; previousAttempt: number; error: string }
  /** Resumed after failed/cancelled: rebuild context from the feature's earlier runs. */
  | { kind: 'resume' };

export const NEEDS_INPUT_REASONS = [
  'rejected',
  'review_limit',
  'test_limit',
  'budget',
  'plan_approval',
  'setup_failed',
] as const;
export type NeedsInputReason = (typeof NEEDS_INPUT_REASONS)[number];

export type Effect =
  | { type: 'start_agent'; role: RunRole; attempt: number; input: AgentInput }
  | { type: 'stop_agent' }
  | { type: 'push_branch'; attempt: number }
  | { type: 'request_input'; reason: NeedsInputReason; question: string }
  | { type: 'mark_done'; branchName: string; pullRequestUrl: string | null }
  | { type: 'mark_failed'; stage: PipelineStage; reason: string }
  | { type: 'unblock_dependants' };

export interface Transition {
  state: PipelineState;
  effects: Effect[];
}
