import type { DetectedCommands } from '../entities';
import { PROJECT_COMMANDS, type ProjectCommands } from '../project-settings';

/** Each command as a run gets it: the user's, else the detected one; unset when neither. */
export function effectiveCommands(user: ProjectCommands, detected: DetectedCommands | null): ProjectCommands {
  const out: ProjectCommands = {};
  for (const name of PROJECT_COMMANDS) {
    const command = user[name] ?? detected?.commands[name]?.command;
    if (command) out[name] = command;
  }
  return out;
}
