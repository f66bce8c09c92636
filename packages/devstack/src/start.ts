/**
 * `npm start`: the whole product on one machine. Embedded Postgres unless DATABASE_URL, the
 * local identity provider unless AUTH0_* are set, the scripted model unless ANTHROPIC_API_KEY.
 */
import { EnvError } from '@omakase/config';
import { banner } from './banner';
import { parseStartEnv, REPO_ROOT, resolveConfig } from './env';
import { bootStack, type RunningStack } from './stack';
import { type ChildExit, NPM_START_RESTARTS, Supervisor } from './supervisor';

const startedAt = performance.now();
// A crashed service comes back by itself; one that keeps crashing stops the stack, saying why.
const supervisor = new Supervisor({ color: Boolean(process.stdout.isTTY), restart: NPM_START_RESTARTS });
const say = (line: string) => supervisor.log('stack', line);

let env: ReturnType<typeof parseStartEnv>;
try {
  env = parseStartEnv();
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  console.error(`[npm start] ${error.message}`);
  process.exit(78); // EX_CONFIG
}

let stack: RunningStack | undefined;
let shuttingDown: Promise<never> | undefined;

function shutdown(code: number, reason: string): Promise<never> {
  shuttingDown ??= (async () => {
    say(reason);
    await supervisor.stop();
    await stack?.stop();
    say(code === 0 ? 'stopped' : 'stopped after a failure');
    process.exit(code);
  })();
  return shuttingDown;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void shutdown(0, `${signal} received, stopping…`));
}

const crashed = (exit: ChildExit) =>
  `${exit.name} exited (${exit.signal ?? `code ${exit.code}`})${exit.crashes ? ` ${exit.crashes} times in a row` : ''}`;

/** Resolves once the web app answers its health check; polls because nothing pushes readiness. */
async function waitForWeb(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const status = await fetch(url, { signal: AbortSignal.timeout(2000) })
      .then((r) => r.status)
      .catch(() => 0);
    if (status === 200) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`web did not answer ${url} within ${timeoutMs / 1000} s`);
}

try {
  const config = await resolveConfig(env);
  stack = await bootStack(REPO_ROOT, config, supervisor);
  const boot = supervisor.unexpectedExit.then((exit) => Promise.reject(new Error(crashed(exit))));
  boot.catch(() => {}); // only the race below reports it
  await Promise.race([waitForWeb(`http://localhost:${config.PORT}/api/health`, 120_000), boot]);
  console.log(
    banner({
      url: config.appBaseUrl,
      seconds: (performance.now() - startedAt) / 1000,
      demoMode: config.demoMode,
      externalAuth: config.externalAuth,
      issuerUrl: stack.issuerUrl,
      databaseUrl: stack.databaseUrl,
    }),
  );
  const exit = await supervisor.unexpectedExit;
  await shutdown(1, `${crashed(exit)}; stopping everything`);
} catch (error) {
  await shutdown(1, `failed to start: ${(error as Error).message}`);
}
