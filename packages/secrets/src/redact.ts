/**
 * Keeping secrets out of logs and run events: pino `redact` paths for fields that carry
 * credentials by name, and a value redactor that replaces every known secret value wherever
 * it appears (nested objects, strings with the value embedded).
 */
export const REDACTED = '[REDACTED]';

/** pino `redact.paths`: credentials by field name, at the top level and one level down. */
export const LOG_REDACT_PATHS = [
  'authorization',
  'cookie',
  'password',
  'token',
  'accessToken',
  'access_token',
  'client_secret',
  'secret',
  'value',
  'apiKey',
  '*.authorization',
  '*.cookie',
  '*.password',
  '*.token',
  '*.accessToken',
  '*.access_token',
  '*.client_secret',
  '*.secret',
  '*.apiKey',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
];

/** Values shorter than this are not redacted by value (they would shred ordinary text). */
const MIN_VALUE_LENGTH = 8;

export class SecretRedactor {
  private readonly values = new Set<string>();

  add(value: string): void {
    if (value.length >= MIN_VALUE_LENGTH) this.values.add(value);
  }

  get size(): number {
    return this.values.size;
  }

  redactString(text: string): string {
    let out = text;
    for (const value of this.values) if (out.includes(value)) out = out.split(value).join(REDACTED);
    return out;
  }

  /** A deep copy with every secret value replaced; non-plain values pass through unchanged. */
  redact<T>(input: T): T {
    if (this.values.size === 0) return input;
    return this.walk(input, 0) as T;
  }

  private walk(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.redactString(value);
    if (depth > 32 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => this.walk(v, depth + 1));
    if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) {
      return value instanceof Error ? this.redactString(String(value.stack ?? value.message)) : value;
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.walk(v, depth + 1)]));
  }
}

/** The process-wide redactor: every secret this process saves or decrypts is registered here. */
const holder = globalThis as typeof globalThis & { __omakaseRedactor?: SecretRedactor };
export function processRedactor(): SecretRedactor {
  holder.__omakaseRedactor ??= new SecretRedactor();
  return holder.__omakaseRedactor;
}
