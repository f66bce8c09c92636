import { OmakaseError } from '@omakase/domain';
import type { DoubleQuotedChild, Word, WordPart } from 'unbash';

/** Thrown anywhere in the analysis; its message is what the agent reads. */
export class Refusal extends OmakaseError<'command_refused' | 'command_denied'> {
  constructor(message: string, code: 'command_refused' | 'command_denied' = 'command_refused') {
    super(code, message);
  }
}

/** A refusal by the denylist, which no role or allowlist overrides. */
export class Denied extends Refusal {
  constructor(message: string) {
    super(message, 'command_denied');
  }
}

export interface WordScope {
  /** A variable's value, or undefined when the policy cannot know it. */
  lookup(name: string): string | undefined;
}

export interface WordValue {
  value: string;
  /** The word holds an unquoted glob (`*`, `?`, `[…]`): it may name many paths. */
  glob: boolean;
}

/** Parameters whose values are never paths (exit status, pid, argument count, option flags). */
const OPAQUE_PARAMETERS = new Set(['?', '$', '!', '#', '-']);

/**
 * The word as the shell would pass it to the command, for the expansions the policy can
 * evaluate: quotes removed, `~` and known variables expanded. Anything else — command or
 * process substitution, arithmetic, parameter operations, brace expansion, unknown
 * variables, `~user` — is refused with what to write instead.
 */
export function evaluateWord(word: Word, scope: WordScope, assignment = false): WordValue {
  const out = { value: '', glob: false };
  if (!word.parts) {
    out.value = expandTilde(word.text, word.value, scope, assignment, true);
    return out;
  }
  word.parts.forEach((part, index) => {
    out.value += partValue(part, scope, out, {
      first: index === 0,
      last: index === word.parts!.length - 1,
      assignment,
    });
  });
  return out;
}

function partValue(
  part: WordPart,
  scope: WordScope,
  out: WordValue,
  at: { first: boolean; last: boolean; assignment: boolean },
): string {
  switch (part.type) {
    case 'Literal':
      return at.first ? expandTilde(part.text, part.value, scope, at.assignment, at.last) : part.value;
    case 'SingleQuoted':
    case 'AnsiCQuoted':
      return part.value;
    case 'DoubleQuoted':
    case 'LocaleString':
      return part.parts.map((child) => quotedValue(child, scope)).join('');
    case 'Glob':
    case 'ExtendedGlob':
      out.glob = true;
      return part.text;
    case 'SimpleExpansion':
    case 'ParameterExpansion':
      return unquotedExpansion(part, scope);
    default:
      return refuseExpansion(part);
  }
}

/** A here-document body: expansions as inside double quotes (only when its delimiter is unquoted). */
export function evaluateHereDoc(parts: readonly WordPart[] | undefined, scope: WordScope): void {
  for (const part of parts ?? []) if (part.type !== 'Literal') quotedValue(part as DoubleQuotedChild, scope);
}

function quotedValue(part: DoubleQuotedChild, scope: WordScope): string {
  if (part.type === 'Literal') return part.value;
  if (part.type === 'SimpleExpansion' || part.type === 'ParameterExpansion') return expansion(part, scope);
  return refuseExpansion(part);
}

function unquotedExpansion(
  part: WordPart & { type: 'SimpleExpansion' | 'ParameterExpansion' },
  scope: WordScope,
) {
  const value = expansion(part, scope);
  if (value === '' || /[\s*?[]/.test(value))
    throw new Refusal(
      `unquoted \`${part.text}\` expands to ${value === '' ? 'nothing' : 'several words or a pattern'}: quote it or write the value out`,
    );
  return value;
}

function expansion(part: WordPart & { type: 'SimpleExpansion' | 'ParameterExpansion' }, scope: WordScope) {
  let name: string;
  if (part.type === 'SimpleExpansion') name = part.text.slice(1);
  else {
    if (part.prefix || part.index || part.operation)
      throw new Refusal(`\`${part.text}\` is not analysed: write the value out`);
    name = part.parameter;
  }
  if (OPAQUE_PARAMETERS.has(name)) return '0';
  const value = scope.lookup(name);
  if (value === undefined)
    throw new Refusal(`\`${part.text}\` is not a variable the command policy knows: write its value out`);
  return value;
}

function refuseExpansion(part: { type: string; text: string }): never {
  const what: Record<string, string> = {
    CommandExpansion: 'command substitution',
    ProcessSubstitution: 'process substitution',
    ArithmeticExpansion: 'arithmetic expansion',
    BraceExpansion: 'brace expansion',
  };
  throw new Refusal(
    `${what[part.type] ?? 'this expansion'} (\`${part.text}\`) is not allowed: run the inner command on its own and write its result into the next command`,
  );
}

/**
 * Tilde expansion on a word's leading unquoted text (`raw` as written, `value` unquoted), after
 * the `=` of an assignment-shaped word (`NAME=~/x`, as bash does) and after `:` in assignment
 * values. `~` is HOME, `~+` the working directory; `~-` and `~user` are refused. A tilde
 * prefix that is escaped or cut by quotes (`\~`, `~"x"`) stays literal, as in bash.
 */
function expandTilde(
  raw: string,
  value: string,
  scope: WordScope,
  assignment: boolean,
  complete: boolean,
): string {
  const named = /^[A-Za-z_][A-Za-z0-9_]*=/.exec(raw)?.[0];
  if (named && !assignment)
    return named + expandTilde(raw.slice(named.length), value.slice(named.length), scope, true, complete);
  const expanded = tildePrefix(raw, complete) === null ? value : expandAt(value, scope);
  if (!assignment) return expanded;
  return expanded
    .split(':')
    .map((piece, index) => (index > 0 && piece.startsWith('~') ? expandAt(piece, scope) : piece))
    .join(':');
}

/** The user part of a leading `~prefix/` when the shell would expand it, else null. */
function tildePrefix(raw: string, complete: boolean): string | null {
  if (!raw.startsWith('~')) return null;
  const slash = raw.indexOf('/');
  if (slash === -1 && !complete) return null;
  const prefix = slash === -1 ? raw.slice(1) : raw.slice(1, slash);
  return /[\\'"$`]/.test(prefix) ? null : prefix;
}

function expandAt(text: string, scope: WordScope): string {
  const slash = text.indexOf('/');
  const prefix = slash === -1 ? text.slice(1) : text.slice(1, slash);
  const base = prefix === '' ? scope.lookup('HOME') : prefix === '+' ? scope.lookup('PWD') : undefined;
  if (base === undefined)
    throw new Refusal(`\`~${prefix}\` is not expanded by the command policy: write the path out`);
  return base + text.slice(1 + prefix.length);
}
