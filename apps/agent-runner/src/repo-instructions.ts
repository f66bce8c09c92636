/** The repository's own instruction files, read from the agent's workspace root for its prompt. */

import { constants } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { join } from 'node:path';

export const REPO_INSTRUCTION_FILES = ['CLAUDE.md', 'AGENTS.md'] as const;
export const REPO_INSTRUCTION_MAX_BYTES = 32 * 1024;

export interface RepoInstruction {
  file: string;
  text: string;
  truncated: boolean;
}

/**
 * Regular files only: a symlink is skipped, not followed (it could point at anything the runner
 * can read). At most REPO_INSTRUCTION_MAX_BYTES of each; a longer file is marked truncated.
 */
export async function readRepoInstructions(workspace: string): Promise<RepoInstruction[]> {
  const found: RepoInstruction[] = [];
  for (const file of REPO_INSTRUCTION_FILES) {
    const path = join(workspace, file);
    const stat = await lstat(path).catch(() => null);
    if (!stat?.isFile()) continue;
    // O_NOFOLLOW: a swap to a symlink between lstat and open fails instead of being followed.
    const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW).catch(() => null);
    if (!handle) continue;
    try {
      const buffer = Buffer.alloc(REPO_INSTRUCTION_MAX_BYTES + 1);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      const truncated = bytesRead > REPO_INSTRUCTION_MAX_BYTES;
      const text = buffer.subarray(0, Math.min(bytesRead, REPO_INSTRUCTION_MAX_BYTES)).toString('utf8');
      found.push({ file, text, truncated });
    } finally {
      await handle.close();
    }
  }
  return found;
}
