/**
 * Copies a file out of an agent-writable tree without following anything the agent planted:
 * every directory on the way is opened with O_NOFOLLOW and the next one is opened relative to it
 * (through /proc/self/fd, Linux's openat), so a symlink anywhere on the path — or one swapped in
 * while we walk — is refused rather than followed to a host file. FIFOs, devices, hard links and
 * oversized files are refused too.
 */
import { constants, type promises as fsp } from 'node:fs';
import { open } from 'node:fs/promises';
import { OmakaseError } from '@omakase/domain';

const { O_RDONLY, O_NOFOLLOW, O_DIRECTORY, O_NONBLOCK, O_WRONLY, O_CREAT, O_EXCL } = constants;

export class UntrustedFileError extends OmakaseError<'untrusted_file'> {
  constructor(message: string) {
    super('untrusted_file', message);
    this.name = 'UntrustedFileError';
  }
}

/**
 * Copies `<root>/<parts…>` to `target` (created, must not exist). Returns false when the file
 * (or a directory on its path) does not exist; throws UntrustedFileError for anything unsafe.
 */
export async function copyUntrustedFile(
  root: string,
  parts: string[],
  target: string,
  maxBytes: number,
): Promise<boolean> {
  const shown = [root, ...parts].join('/');
  let dir: fsp.FileHandle | null = null;
  const opened: fsp.FileHandle[] = [];
  try {
    dir = await openOrNull(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, shown);
    if (!dir) return false;
    opened.push(dir);
    for (const part of parts.slice(0, -1)) {
      const next = await openOrNull(
        `/proc/self/fd/${dir.fd}/${part}`,
        O_RDONLY | O_DIRECTORY | O_NOFOLLOW,
        shown,
      );
      if (!next) return false;
      opened.push(next);
      dir = next;
    }
    const file = await openOrNull(
      `/proc/self/fd/${dir.fd}/${parts.at(-1)}`,
      O_RDONLY | O_NOFOLLOW | O_NONBLOCK,
      shown,
    );
    if (!file) return false;
    opened.push(file);
    const info = await file.stat();
    if (!info.isFile()) throw new UntrustedFileError(`${shown} is not a regular file`);
    if (info.nlink !== 1) throw new UntrustedFileError(`${shown} is a hard link; refusing to read it`);
    if (info.size > maxBytes)
      throw new UntrustedFileError(`${shown} is ${info.size} bytes, more than the limit of ${maxBytes}`);
    await copyBounded(file, target, maxBytes, shown);
    return true;
  } finally {
    for (const handle of opened.reverse()) await handle.close().catch(() => {});
  }
}

async function openOrNull(path: string, flags: number, shown: string): Promise<fsp.FileHandle | null> {
  try {
    return await open(path, flags);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    // O_NOFOLLOW on a symlink: ELOOP; O_DIRECTORY on a symlink or a file: ENOTDIR.
    if (code === 'ELOOP' || code === 'ENOTDIR')
      throw new UntrustedFileError(`${shown}: a symlink or non-directory on the path; refusing to follow it`);
    throw error;
  }
}

/** The size was checked, but the file may still grow while we read: stop at the cap. */
async function copyBounded(source: fsp.FileHandle, target: string, maxBytes: number, shown: string) {
  const out = await open(target, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
  try {
    const buffer = Buffer.alloc(1024 * 1024);
    let total = 0;
    for (;;) {
      const { bytesRead } = await source.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw new UntrustedFileError(`${shown} grew past the limit of ${maxBytes} bytes`);
      await out.write(buffer, 0, bytesRead);
    }
  } finally {
    await out.close();
  }
}
