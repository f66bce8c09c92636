import { z } from 'zod';

/** The subset of an Anthropic Messages API request the scripted model reads. */
const textBlock = z.object({ type: z.literal('text'), text: z.string() });
const toolResultBlock = z.object({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: z
    .union([z.string(), z.array(z.looseObject({ type: z.string(), text: z.string().optional() }))])
    .optional(),
  is_error: z.boolean().optional(),
});
const anyBlock = z.looseObject({ type: z.string() });

export const messagesRequestSchema = z.looseObject({
  model: z.string(),
  max_tokens: z.number().optional(),
  stream: z.boolean().optional(),
  system: z.union([z.string(), z.array(anyBlock)]).optional(),
  messages: z.array(z.object({ role: z.string(), content: z.union([z.string(), z.array(anyBlock)]) })),
  tools: z.array(z.looseObject({ name: z.string() })).optional(),
});
export type MessagesRequest = z.infer<typeof messagesRequestSchema>;

export interface ToolResult {
  text: string;
  isError: boolean;
}

/** Text the user (the runner's prompt) wrote, tool results excluded. */
export function userText(request: MessagesRequest): string {
  const parts: string[] = [];
  for (const message of request.messages) {
    if (message.role !== 'user') continue;
    if (typeof message.content === 'string') parts.push(message.content);
    else
      for (const block of message.content) {
        const parsed = textBlock.safeParse(block);
        if (parsed.success) parts.push(parsed.data.text);
      }
  }
  return parts.join('\n');
}

export function systemText(request: MessagesRequest): string {
  if (typeof request.system === 'string') return request.system;
  return (request.system ?? []).map((block) => (typeof block.text === 'string' ? block.text : '')).join('\n');
}

/** Tool results in conversation order. */
export function toolResults(request: MessagesRequest): ToolResult[] {
  const results: ToolResult[] = [];
  for (const message of request.messages) {
    if (message.role !== 'user' || typeof message.content === 'string') continue;
    for (const block of message.content) {
      const parsed = toolResultBlock.safeParse(block);
      if (!parsed.success) continue;
      const { content, is_error } = parsed.data;
      const text =
        typeof content === 'string' ? content : (content ?? []).map((part) => part.text ?? '').join('\n');
      results.push({ text, isError: is_error === true });
    }
  }
  return results;
}

/** How many turns the model already took: the scripts are stateless and index on it. */
export function assistantTurns(request: MessagesRequest): number {
  return request.messages.filter((message) => message.role === 'assistant').length;
}
