/**
 * What a fake Fargate task runs: the real agent runner as a local process, given exactly the
 * environment ECS would give the container (overrides + secrets the task definition injects).
 * The image's separate agent uid (OMAKASE_AGENT_ISOLATION=user) needs the image's setuid helper
 * and an EFS access point; here the task runs on the host as this user, so there is nothing to
 * separate (agent-isolation.test.ts covers the `user` mode itself).
 */
import { spawn } from 'node:child_process';
import { localRunnerCommand } from '../../src/compute/runner-command';
import type { TaskRuntime } from './fake-ecs';

export const localRunnerTask: TaskRuntime = (env) => {
  const [command, ...args] = localRunnerCommand() as [string, ...string[]];
  const child = spawn(command, args, {
    env: {
      PATH: '/usr/local/bin:/usr/bin:/bin',
      LANG: 'C.UTF-8',
      HOME: '/tmp',
      OMAKASE_AGENT_ISOLATION: 'none',
      ...env,
    },
    cwd: env.WORKSPACE_DIR,
    stdio: 'ignore',
  });
  const exited = new Promise<number>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? (signal === 'SIGKILL' ? 137 : 143)));
    child.once('error', () => resolve(127));
  });
  return {
    exited,
    stop() {
      child.kill('SIGTERM'); // ECS: SIGTERM, then SIGKILL after the stop timeout
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    },
    kill() {
      child.kill('SIGKILL');
    },
  };
};
