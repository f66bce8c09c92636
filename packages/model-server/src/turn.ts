import { randomBytes } from 'node:crypto';

export type TurnBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; name: string; input: Record<string, unknown> };

/** One scripted assistant message. `pauseMs` is waited between streamed chunks (slow mode). */
export interface Turn {
  blocks: TurnBlock[];
  pauseMs?: number;
}

export const say = (text: string): TurnBlock => ({ type: 'text', text });
export const use = (name: string, input: Record<string, unknown>): TurnBlock => ({
  type: 'tool_use',
  name,
  input,
});

export const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

/** A rough token estimate (4 characters per token), enough for realistic usage and cost. */
export const estimateTokens = (value: unknown) =>
  Math.max(1, Math.ceil((typeof value === 'string' ? value : JSON.stringify(value)).length / 4));

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export function stopReason(turn: Turn): 'tool_use' | 'end_turn' {
  return turn.blocks.some((block) => block.type === 'tool_use') ? 'tool_use' : 'end_turn';
}

/** The non-streaming Messages API response body for a turn. */
export function messageBody(turn: Turn, model: string, usage: Usage) {
  return {
    id: newId('msg'),
    type: 'message',
    role: 'assistant',
    model,
    content: turn.blocks.map((block) =>
      block.type === 'text'
        ? block
        : { type: 'tool_use', id: newId('toolu'), name: block.name, input: block.input },
    ),
    stop_reason: stopReason(turn),
    stop_sequence: null,
    usage,
  };
}

export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

const chunk = (text: string, size: number) => {
  const parts: string[] = [];
  for (let index = 0; index < text.length; index += size) parts.push(text.slice(index, index + size));
  return parts.length > 0 ? parts : [''];
};

/** The streaming events for a turn, in the order the Anthropic API sends them. */
export function sseEvents(turn: Turn, model: string, usage: Usage): SseEvent[] {
  const { id, role } = messageBody(turn, model, usage);
  const events: SseEvent[] = [
    {
      event: 'message_start',
      data: {
        type: 'message_start',
        message: {
          id,
          type: 'message',
          role,
          model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { ...usage, output_tokens: 1 },
        },
      },
    },
  ];
  turn.blocks.forEach((block, index) => {
    if (block.type === 'text') {
      events.push(blockStart(index, { type: 'text', text: '' }));
      for (const text of chunk(block.text, 48)) events.push(blockDelta(index, { type: 'text_delta', text }));
    } else {
      events.push(blockStart(index, { type: 'tool_use', id: newId('toolu'), name: block.name, input: {} }));
      for (const partial_json of chunk(JSON.stringify(block.input), 96))
        events.push(blockDelta(index, { type: 'input_json_delta', partial_json }));
    }
    events.push({ event: 'content_block_stop', data: { type: 'content_block_stop', index } });
  });
  events.push({
    event: 'message_delta',
    data: {
      type: 'message_delta',
      delta: { stop_reason: stopReason(turn), stop_sequence: null },
      usage: { output_tokens: usage.output_tokens },
    },
  });
  events.push({ event: 'message_stop', data: { type: 'message_stop' } });
  return events;
}

const blockStart = (index: number, content_block: Record<string, unknown>): SseEvent => ({
  event: 'content_block_start',
  data: { type: 'content_block_start', index, content_block },
});
const blockDelta = (index: number, delta: Record<string, unknown>): SseEvent => ({
  event: 'content_block_delta',
  data: { type: 'content_block_delta', index, delta },
});
