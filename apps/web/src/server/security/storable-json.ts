/**
 * What runners post (events, results) is the agent's output: arbitrary text, which Postgres
 * refuses in two cases — `\u0000` anywhere in a jsonb string or key ("unsupported Unicode escape
 * sequence"), and lone UTF-16 surrogates ("invalid input syntax"). Refusing the request would lose
 * the whole batch, so both are replaced by U+FFFD (the replacement character), in values and keys,
 * at any depth; the rest of the text is kept as it is. Other control characters (ANSI colour
 * escapes, bells, tabs) are stored unchanged: jsonb escapes them and the UI renders text only.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what must be matched.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function storableText(text: string): string {
  return text.replace(UNSTORABLE, '\uFFFD');
}

export function storableJson<T>(value: T): T {
  return clean(value) as T;
}

function clean(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(clean);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [storableText(key), clean(inner)]));
  }
  return value;
}
