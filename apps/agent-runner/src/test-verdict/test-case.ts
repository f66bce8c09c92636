import { z } from 'zod';

export const TEST_STATUSES = ['passed', 'failed', 'skipped'] as const;
export type TestStatus = (typeof TEST_STATUSES)[number];

/** One test's outcome. `id` is stable across runs of the same suite (`classname::name`, `suite > name`). */
export const testCaseSchema = z.object({
  id: z.string(),
  status: z.enum(TEST_STATUSES),
  message: z.string().optional(),
});
export type TestCase = z.infer<typeof testCaseSchema>;

export const MAX_MESSAGE_BYTES = 2048;

/** Trims `text` to at most `maxBytes` UTF-8 bytes, keeping the start, never splitting a character. */
export function boundText(text: string, maxBytes = MAX_MESSAGE_BYTES): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  const marker = '…';
  const cut = bytes.subarray(0, maxBytes - Buffer.byteLength(marker));
  // A cut inside a multi-byte sequence decodes to U+FFFD: drop it.
  return cut.toString('utf8').replace(/\uFFFD+$/, '') + marker;
}

/** Keeps ids unique within one run: a repeated id gets ` [2]`, ` [3]`, … in order of appearance. */
export function dedupeIds(cases: TestCase[]): TestCase[] {
  const seen = new Map<string, number>();
  return cases.map((c) => {
    const n = (seen.get(c.id) ?? 0) + 1;
    seen.set(c.id, n);
    return n === 1 ? c : { ...c, id: `${c.id} [${n}]` };
  });
}
