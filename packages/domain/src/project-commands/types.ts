import type { DetectedCommand } from '../entities';
import type { ProjectCommandName } from '../project-settings';

/**
 * What detection reads: the top-level entries of the default branch (`files`, names only; a
 * directory ends with `/`) and the contents of the few of them `detectionReads` asks for, each cut
 * at its byte limit. Nothing is executed: detection is text matching on those files.
 */
export interface RepoSnapshot {
  files: readonly string[];
  contents: Readonly<Record<string, string>>;
}

export type Detected = Partial<Record<ProjectCommandName, DetectedCommand>>;
