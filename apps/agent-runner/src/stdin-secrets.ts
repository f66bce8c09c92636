/**
 * Where the driver allows it (the local driver), the runner's credentials arrive as one JSON
 * object on stdin instead of in its environment: nothing in /proc/<runner>/environ, nothing a
 * child could inherit. `OMAKASE_SECRETS_STDIN=1` says they are there.
 */
import { OmakaseError } from '@omakase/domain';
import { z } from 'zod';

const MAX_BYTES = 64 * 1024;

export const stdinSecretsSchema = z
  .object({
    OMAKASE_RUN_TOKEN: z.string().min(16),
    ANTHROPIC_API_KEY: z.string().min(1).optional(),
  })
  .strict();
export type StdinSecrets = z.infer<typeof stdinSecretsSchema>;

export class StdinSecretsError extends OmakaseError<'stdin_secrets_invalid'> {
  constructor(message: string) {
    super('stdin_secrets_invalid', message);
  }
}

/** Reads stdin to its end (bounded), then closes it. Errors never include the values. */
export async function readStdinSecrets(stream: NodeJS.ReadableStream = process.stdin): Promise<StdinSecrets> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_BYTES) throw new StdinSecretsError(`stdin secrets: more than ${MAX_BYTES} bytes`);
    chunks.push(buffer);
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new StdinSecretsError('stdin secrets: not a JSON object');
  }
  const parsed = stdinSecretsSchema.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.') || issue.message);
    throw new StdinSecretsError(`stdin secrets: invalid ${[...new Set(fields)].join(', ')}`);
  }
  return parsed.data;
}
