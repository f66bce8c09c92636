import { createSdkMcpServer, tool } from '@anthropic-ai/claude-agent-sdk';
import { type AgentRole, planSchema, reviewSchema, testReportSchema } from '@omakase/api-contract';
import type { z } from 'zod';
import { MCP_SERVER_NAME, SUBMIT_TOOL_NAMES } from './tool-policy';

export interface VerdictBox {
  /** The role's validated structured output, once submitted. */
  value: Record<string, unknown> | null;
}

const DEFINITIONS = {
  architect: {
    schema: planSchema,
    description:
      'Submit the implementation plan for this feature: a summary, the files to touch, ordered steps and risks. Call exactly once, at the end.',
  },
  reviewer: {
    schema: reviewSchema,
    description:
      'Submit the review of the branch: APPROVE, REQUEST_CHANGES (with concrete comments) or REJECT. Call exactly once, at the end.',
  },
  tester: {
    schema: testReportSchema,
    description:
      'Submit the test report with the real numbers from the test run: passed, total, failed and each failure. Call exactly once, at the end.',
  },
} as const;

/**
 * The in-process `omakase` MCP server with the role's one submit tool (none for the coder).
 * The SDK validates arguments against the zod shape; the handler re-validates and records them.
 */
export function createVerdictServer(role: AgentRole, box: VerdictBox, onVerdict: (value: object) => void) {
  if (role === 'coder') return null;
  const { schema, description } = DEFINITIONS[role];
  const submit = tool(SUBMIT_TOOL_NAMES[role], description, schema.shape, async (args: unknown) => {
    const parsed = (schema as z.ZodType<Record<string, unknown>>).safeParse(args);
    if (!parsed.success)
      return {
        isError: true,
        content: [{ type: 'text' as const, text: `Invalid submission: ${parsed.error.message}` }],
      };
    if (box.value)
      return {
        isError: true,
        content: [{ type: 'text' as const, text: 'Already submitted; the first one stands.' }],
      };
    box.value = parsed.data;
    onVerdict(parsed.data);
    return { content: [{ type: 'text' as const, text: 'Submitted. Finish with a one-line summary.' }] };
  });
  return createSdkMcpServer({ name: MCP_SERVER_NAME, version: '1.0.0', tools: [submit], alwaysLoad: true });
}
