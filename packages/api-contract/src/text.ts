/**
 * User-supplied text refuses control characters at the schema layer: a NUL would otherwise reach
 * Postgres (which cannot store it in text) and answer 500, and other C0 controls only ever
 * disguise text (terminal escapes, hidden line breaks). Multi-line fields keep tab and newlines.
 */
import type { z } from 'zod';

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const ANY_CONTROL = /[\u0000-\u001f\u007f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const CONTROL_BUT_WHITESPACE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** One line of text: no control characters at all (tab and newlines included). */
export const singleLine = <S extends z.ZodType<string, string>>(schema: S) =>
  schema.refine((value) => !ANY_CONTROL.test(value), 'must not contain control characters');

/** Text that may span lines: tab, newline and carriage return allowed, other control characters not. */
export const multiLine = <S extends z.ZodType<string, string>>(schema: S) =>
  schema.refine(
    (value) => !CONTROL_BUT_WHITESPACE.test(value),
    'must not contain control characters (other than tab and newlines)',
  );
