import { OmakaseError } from '@omakase/domain';

/**
 * Whether local agent runs may start without the bubblewrap sandbox. Unsandboxed, an agent runs
 * as the orchestrator's user with the host's network and files, so with a real model key that
 * happens only when the operator says so (`COMPUTE_SANDBOX=off`). Demo mode — no deployment key
 * and the model endpoint on loopback (the scripted model server `npm start` runs) — may go on
 * with a loud warning. `on`/`required` without bubblewrap is always refused.
 */
export type SandboxSetting = 'auto' | 'on' | 'required' | 'off';

export type SandboxDecision =
  | { run: 'sandboxed' }
  | { run: 'unsandboxed'; warning?: string }
  | { run: 'refused'; message: string };

/** Exit code of a refusal: EX_CONFIG, like every other configuration error of the orchestrator. */
export const SANDBOX_REFUSED_EXIT = 78;

export class SandboxRefused extends OmakaseError<'sandbox_refused'> {
  constructor(message: string) {
    super('sandbox_refused', message);
    this.name = 'SandboxRefused';
  }
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** No deployment key and a loopback model endpoint: the scripted model plays every agent. */
export function isDemoModel(model: { apiKey?: string; baseUrl?: string }): boolean {
  if (model.apiKey || !model.baseUrl) return false;
  try {
    const host = new URL(model.baseUrl).hostname;
    return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

const MISSING =
  'bubblewrap is not usable on this host (it needs /usr/bin/bwrap, /usr/bin/setpriv and user namespaces)';
const INSTALL = 'Install it: apt-get install bubblewrap';

export function sandboxDecision(input: {
  setting: SandboxSetting;
  bubblewrap: boolean;
  demo: boolean;
}): SandboxDecision {
  const { setting, bubblewrap, demo } = input;
  if (setting === 'off') return { run: 'unsandboxed' };
  if (bubblewrap) return { run: 'sandboxed' };
  if (setting !== 'auto') {
    return {
      run: 'refused',
      message: `COMPUTE_SANDBOX=${setting} but ${MISSING}. ${INSTALL} — or set COMPUTE_SANDBOX=off to run agents unsandboxed.`,
    };
  }
  if (demo) {
    return {
      run: 'unsandboxed',
      warning: `${MISSING}: demo-mode agents run UNSANDBOXED (as this user, with the host's network and files). With a real model key the orchestrator refuses to start like this. ${INSTALL}.`,
    };
  }
  return {
    run: 'refused',
    message: `COMPUTE_SANDBOX=auto and ${MISSING}, while agents would run with a real model key: they would run unsandboxed, as this user, with the host's network and files. ${INSTALL} — or set COMPUTE_SANDBOX=off to accept that risk explicitly.`,
  };
}
