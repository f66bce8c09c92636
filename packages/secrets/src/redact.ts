/**
 * Keeping secrets out of logs and run events: pino `redact` paths for fields that carry
 * credentials by name, and value redactors that replace known secret values wherever they
 * appear (nested objects, strings with the value embedded).
 *
 * Values are kept per organisation (`OrgRedactors`): an org's events and results are scrubbed
 * with that org's values only, so one tenant's saved value never blanks text in another
 * tenant's output. The process log, which belongs to the operator, is scrubbed with the union.
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

/** Values shorter than this are not redacted process-wide (they would shred ordinary text). */
export const GLOBAL_MIN_VALUE_LENGTH = 8;
/** Within its own org's output a value is redacted from this length on. */
export const ORG_MIN_VALUE_LENGTH = 4;

export class SecretRedactor {
  private readonly values = new Set<string>();

  constructor(private readonly minLength = GLOBAL_MIN_VALUE_LENGTH) {}

  add(value: string): void {
    if (value.length >= this.minLength) this.values.add(value);
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

export interface OrgRedactorLimits {
  /** Organisations kept (least recently used dropped first); a dropped org is simply re-read. */
  maxOrgs: number;
  /** Values kept per organisation (oldest dropped first). */
  maxValuesPerOrg: number;
}

interface OrgEntry {
  /** Secret name → its current value: saving a name again replaces (drops) the old value. */
  values: Map<string, string>;
  /** When the org's whole set was last read from its store (undefined: only single values known). */
  loadedAt?: number;
  redactor?: SecretRedactor;
}

/** Known secret values per organisation, bounded (LRU of orgs, capped values per org). */
export class OrgRedactors {
  private readonly orgs = new Map<string, OrgEntry>();
  private logRedactor: SecretRedactor | undefined;

  constructor(readonly limits: OrgRedactorLimits = { maxOrgs: 1000, maxValuesPerOrg: 16 }) {}

  /** Registers the value of the org's secret `name`, replacing the one it had (rotation). */
  set(orgId: string, name: string, value: string): void {
    const entry = this.touch(orgId, true)!;
    entry.values.delete(name);
    entry.values.set(name, value);
    while (entry.values.size > this.limits.maxValuesPerOrg) {
      entry.values.delete(entry.values.keys().next().value!);
    }
    this.changed(entry);
  }

  /** Forgets the org's secret `name` (deleted). */
  drop(orgId: string, name: string): void {
    const entry = this.orgs.get(orgId);
    if (entry?.values.delete(name)) this.changed(entry);
  }

  /** Replaces the org's whole set with what its store holds now (values no longer saved are dropped). */
  replace(orgId: string, values: Iterable<readonly [string, string]>, loadedAt = Date.now()): void {
    const entry = this.touch(orgId, true)!;
    entry.values.clear();
    for (const [name, value] of values) entry.values.set(name, value);
    while (entry.values.size > this.limits.maxValuesPerOrg) {
      entry.values.delete(entry.values.keys().next().value!);
    }
    entry.loadedAt = loadedAt;
    this.changed(entry);
  }

  /** When the org's set was last read in full, or undefined (never, or evicted since). */
  loadedAt(orgId: string): number | undefined {
    return this.orgs.get(orgId)?.loadedAt;
  }

  /** The redactor for one org's output: that org's values only, short ones included. */
  forOrg(orgId: string): SecretRedactor {
    const entry = this.touch(orgId, false);
    if (!entry) return new SecretRedactor(ORG_MIN_VALUE_LENGTH);
    if (!entry.redactor) {
      entry.redactor = new SecretRedactor(ORG_MIN_VALUE_LENGTH);
      for (const value of entry.values.values()) entry.redactor.add(value);
    }
    return entry.redactor;
  }

  /** The operator's process log: every known value long enough not to shred ordinary words. */
  forLogs(): SecretRedactor {
    if (!this.logRedactor) {
      this.logRedactor = new SecretRedactor(GLOBAL_MIN_VALUE_LENGTH);
      for (const entry of this.orgs.values())
        for (const value of entry.values.values()) this.logRedactor.add(value);
    }
    return this.logRedactor;
  }

  get orgCount(): number {
    return this.orgs.size;
  }

  private touch(orgId: string, create: boolean): OrgEntry | undefined {
    let entry = this.orgs.get(orgId);
    if (entry) this.orgs.delete(orgId);
    else if (create) entry = { values: new Map() };
    if (!entry) return undefined;
    this.orgs.set(orgId, entry); // most recently used last
    while (this.orgs.size > this.limits.maxOrgs) {
      this.orgs.delete(this.orgs.keys().next().value!);
      this.logRedactor = undefined;
    }
    return entry;
  }

  private changed(entry: OrgEntry): void {
    entry.redactor = undefined;
    this.logRedactor = undefined;
  }
}

/** This process's redactors: every secret it saves or decrypts is registered under its org. */
const holder = globalThis as typeof globalThis & { __omakaseOrgRedactors?: OrgRedactors };
export function processRedactors(): OrgRedactors {
  holder.__omakaseOrgRedactors ??= new OrgRedactors();
  return holder.__omakaseOrgRedactors;
}
