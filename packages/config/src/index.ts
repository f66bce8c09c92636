import { OmakaseError } from '@omakase/domain';
import { z } from 'zod';

export class EnvError extends OmakaseError<'invalid_environment'> {
  constructor(public readonly issues: { variable: string; message: string }[]) {
    super(
      'invalid_environment',
      `Invalid environment:\n${issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n')}`,
    );
    this.name = 'EnvError';
  }
}

/**
 * Parses a deployable's environment once, at boot. A bad value throws an `EnvError`
 * whose message names every offending variable.
 */
export function parseEnv<S extends z.ZodRawShape>(
  shape: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<z.ZodObject<S>> {
  const result = z.object(shape).safeParse(env);
  if (result.success) return result.data;
  throw new EnvError(
    result.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? '?'), message: issue.message })),
  );
}

/** Like `parseEnv`, but prints the error and exits: for process entry points. */
export function loadEnvOrExit<S extends z.ZodRawShape>(shape: S, service: string): z.infer<z.ZodObject<S>> {
  try {
    return parseEnv(shape);
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    console.error(`[${service}] ${error.message}`);
    process.exit(78); // EX_CONFIG
  }
}

/** Shared, commonly used variable parsers. */
export const envVars = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  url: () => z.url(),
  bool: (fallback: boolean) =>
    z
      .enum(['1', '0', 'true', 'false', 'yes', 'no'])
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === '1' || v === 'true' || v === 'yes'),
  /** Comma-separated values (`a, b,c`); unset or empty → []. */
  list: () =>
    z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean),
      ),
};
export * from './auth0-management';
