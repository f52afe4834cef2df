/**
 * Issue 15 (3): the session directory stops taking writes mid-run (disk full, made read-only, deleted). The
 * run stops gracefully: one line naming the path and the cause, status `interrupted` when session.yaml can
 * still be written, exit 130 (SPEC: interrupted; nothing written was lost and a resume continues), the
 * resume command in the reason, no stack trace. Every write is append-only or atomic, so what is on disk
 * stays consistent and the session resumes once space is back.
 */
const CAUSES: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'the directory was deleted',
  ENOTDIR: 'a directory on the path was replaced',
  EIO: 'input/output error',
};

/** Exit code of a run a storage fault stopped: interrupted (SPEC 130), resumable. */
export const DISK_FAULT_EXIT = 130;

export interface DiskFault {
  code: string;
  path: string;
  cause: string;
}

/** The fault when `err` is a file-system error of a kind that ends the run's writes, else null. */
export function diskFault(err: unknown): DiskFault | null {
  const e = err as NodeJS.ErrnoException | null;
  if (!e || typeof e !== 'object' || typeof e.code !== 'string' || !(e.code in CAUSES)) return null;
  return { code: e.code, path: typeof e.path === 'string' ? e.path : '', cause: CAUSES[e.code]! };
}

/** "cannot write PATH: no space left on device (ENOSPC); ... resume with: synthloom resume DIR". */
export function describeDiskFault(f: DiskFault, sessionDir: string): string {
  return `cannot write ${f.path || sessionDir}: ${f.cause} (${f.code}); the run stopped, nothing written was lost; fix it and resume with: synthloom resume ${sessionDir}`;
}

/** Runs a write that may fail because of the disk; a disk fault is returned instead of thrown. */
export function tryWrite(write: () => void): DiskFault | null {
  try {
    write();
    return null;
  } catch (err) {
    const f = diskFault(err);
    if (!f) throw err;
    return f;
  }
}

/** True for a run's reason written by describeDiskFault (the end-of-run export is then not tried). */
export function isDiskFaultReason(reason: string | undefined): boolean {
  return reason !== undefined && reason.startsWith('cannot write ') && reason.includes('; the run stopped, nothing written was lost;');
}
