import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Finding the PostgreSQL server already running on a cluster directory, so a second Pictor
 * process (the CLI beside a running server) connects to it instead of stopping it.
 */

export type PostmasterState =
  /** No server: none recorded, or the recorded pid is gone (its stale lock file was removed). */
  | { kind: 'none' }
  /** `postmaster.pid` names a live process. */
  | { kind: 'running'; pid: number };

/** Whether a process exists. EPERM means it exists but belongs to another user (e.g. `postgres`). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Reads `postmaster.pid`. Only a lock file whose pid is provably gone is cleaned up (with its
 * socket lock); a live pid is never signalled, whoever owns it.
 */
export async function postmasterState(clusterDir: string): Promise<PostmasterState> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  const content = await fs.readFile(pidFile, 'utf8').catch(() => undefined);
  if (content === undefined) return { kind: 'none' };
  const pid = Number.parseInt(content.split('\n')[0] ?? '', 10);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) return { kind: 'running', pid };
  // Lines 4 and 5 of the lock file: socket directory and port; the socket's own lock file lives there.
  const lines = content.split('\n');
  const socketLock = lines[4] && lines[3] ? path.join(lines[4].trim(), `.s.PGSQL.${lines[3].trim()}.lock`) : undefined;
  await fs.rm(pidFile, { force: true });
  if (socketLock?.startsWith(clusterDir)) await fs.rm(socketLock, { force: true });
  return { kind: 'none' };
}
