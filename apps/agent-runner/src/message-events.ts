import type { SDKMessage } from '@anthropic-ai/claude-agent-sdk';
import type { RunnerEvent } from '@omakase/api-contract';
import { workspaceRelative } from './path-policy';
import { type Redactor, truncate } from './redact';

type Emit = (type: RunnerEvent['type'], payload: Record<string, unknown>) => void;

/** Maps one SDK message to run events (usage: see usage-accumulator.ts). */
export function emitForMessage(
  message: SDKMessage,
  emit: Emit,
  ctx: { workspace: string; redactor: Redactor; submitTool: string | null },
): void {
  const clean = <T>(value: T) => ctx.redactor.redact(value);
  if (message.type === 'assistant') {
    for (const block of message.message.content) {
      if (block.type === 'text' && block.text.trim()) emit('thought', clean({ text: truncate(block.text) }));
      if (block.type !== 'tool_use') continue;
      const input = (block.input ?? {}) as Record<string, unknown>;
      emit('tool_call', clean({ toolUseId: block.id, name: block.name, input: shortInput(input) }));
      if ((block.name === 'Write' || block.name === 'Edit') && typeof input.file_path === 'string')
        emit(
          'file_edit',
          clean({ toolUseId: block.id, tool: block.name, path: displayPath(ctx.workspace, input.file_path) }),
        );
      if (block.name === 'Bash' && typeof input.command === 'string')
        emit('command', clean({ toolUseId: block.id, command: input.command }));
    }
    return;
  }
  if (message.type === 'user' && Array.isArray(message.message.content)) {
    for (const block of message.message.content) {
      if (typeof block !== 'object' || block.type !== 'tool_result') continue;
      emit(
        'output',
        clean({
          toolUseId: block.tool_use_id,
          isError: block.is_error === true,
          text: truncate(resultText(block.content)),
        }),
      );
    }
    return;
  }
  if (message.type === 'result' && message.subtype !== 'success')
    emit('error', clean({ kind: message.subtype, errors: message.errors }));
}

function displayPath(workspace: string, path: string) {
  return workspaceRelative(workspace, path) ?? path;
}

/** Tool inputs can carry whole files: keep them readable in the event stream. */
function shortInput(input: Record<string, unknown>) {
  return Object.fromEntries(
    Object.entries(input).map(([key, value]) => [
      key,
      typeof value === 'string' ? truncate(value, 2048) : value,
    ]),
  );
}

function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => (part && typeof part.text === 'string' ? part.text : '')).join('\n');
}
