/** Runs and run events → JSON DTOs (dates as ISO strings). */
import type { RunDto, RunEventDto } from '@omakase/api-contract';
import type { AgentRun, RunEvent } from '@omakase/domain';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

const sumOf = (run: AgentRun, field: 'cacheReadInputTokens' | 'cacheCreationInputTokens') =>
  Object.values(run.usageByModel).reduce((sum, model) => sum + model[field], 0);

export function toRunDto(run: AgentRun): RunDto {
  return {
    id: run.id,
    featureId: run.featureId,
    role: run.role,
    status: run.status,
    attempt: run.attempt,
    input: run.input,
    output: run.output,
    createdAt: run.createdAt.toISOString(),
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
    tokensIn: run.tokensIn,
    tokensOut: run.tokensOut,
    costUsd: run.costUsd,
    cacheReadTokens: sumOf(run, 'cacheReadInputTokens'),
    cacheWriteTokens: sumOf(run, 'cacheCreationInputTokens'),
    usageByModel: run.usageByModel,
    computeSeconds: run.computeSeconds,
    exitReason: run.exitReason,
  };
}

export function toRunEventDto(event: RunEvent): RunEventDto {
  return {
    id: event.id,
    runId: event.runId,
    seq: event.seq,
    type: event.type,
    payload: event.payload,
    createdAt: event.createdAt.toISOString(),
  };
}
