const SECRET_PATTERNS = [
  /sk-ant-[A-Za-z0-9_-]{8,}/g,
  /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/g,
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /\blin_(?:api|oauth)_[A-Za-z0-9]{20,}/g,
];

export const REDACTED = '[REDACTED]';

/** Replaces known secrets (exact values) and anything shaped like a credential. */
export function createRedactor(secrets: readonly (string | undefined)[]) {
  const exact = secrets.filter((value): value is string => typeof value === 'string' && value.length >= 6);
  /** A secret learnt after start (e.g. the org's key fetched from the platform). */
  const add = (secret: string) => {
    if (secret.length >= 6 && !exact.includes(secret)) exact.push(secret);
  };
  const redactString = (text: string) => {
    let out = text;
    for (const secret of exact) out = out.split(secret).join(REDACTED);
    for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, REDACTED);
    return out;
  };
  const redact = (value: unknown): unknown => {
    if (typeof value === 'string') return redactString(value);
    if (Array.isArray(value)) return value.map(redact);
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, redact(inner)]));
    return value;
  };
  return { add, redactString, redact: <T>(value: T) => redact(value) as T };
}
export type Redactor = ReturnType<typeof createRedactor>;

/** Cuts long text, saying how much was cut. */
export function truncate(text: string, maxBytes = 8 * 1024): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  const head = Buffer.from(text).subarray(0, maxBytes).toString('utf8');
  return `${head}\n… [truncated ${Buffer.byteLength(text) - Buffer.byteLength(head)} bytes]`;
}
