import { randomUUID } from "node:crypto";
import os from "node:os";

/**
 * Who is doing a piece of long-running work recorded in the store (a pending change, a
 * running scan job), so that work a dead process left behind can be told from work a live
 * process — this one, another on the host, another replica — is still doing.
 */

/** One id per process, `host:pid:random`: work owned by another id belongs to another process (or replica). */
export const processOwner = `${os.hostname()}:${process.pid}:${randomUUID()}`;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Whether work was left behind by a process that stopped: its owner is a process of this host
 * that no longer runs, or (another host, another replica) its last heartbeat is older than
 * `afterMs`. Work without an owner is abandoned.
 */
export function isOwnerGone(work: { owner?: string; heartbeatAt?: string; startedAt: string }, afterMs: number, now = Date.now()): boolean {
  if (!work.owner) return true;
  const [host, pid] = work.owner.split(":");
  if (host === os.hostname() && pid && /^\d+$/.test(pid)) return !processAlive(Number(pid));
  return now - Date.parse(work.heartbeatAt ?? work.startedAt) > afterMs;
}
