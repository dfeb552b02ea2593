import "server-only";
import type { ServerEnv } from "@/lib/env";
import { latestScans } from "@/lib/store/scans";
import { scanScopeOf } from "./scope";
import { jobsStore, startScan } from "./server-jobs";

/**
 * Scheduled scans (SCOPEWISE_SCAN_INTERVAL_MINUTES) for the server's own credential, through
 * the same jobs as a person's Rescan. Every replica runs the timer; a replica skips its turn when
 * the scope's newest scan started less than most of an interval ago (another replica's, or a
 * person's), and a start while one runs joins it, so replicas add no scans of their own.
 */

/** Whether a scheduled scan is due: none yet, or the newest started at least 90% of an interval ago. */
export function isScanDue(latestStartedAt: string | undefined, intervalMs: number, now: number): boolean {
  if (!latestStartedAt) return true;
  return now - Date.parse(latestStartedAt) >= intervalMs * 0.9;
}

export interface ScheduleDeps {
  latestStartedAt(): Promise<string | undefined>;
  start(): Promise<unknown>;
  now(): number;
}

/** One turn of the schedule: starts (or joins) a scan when one is due; says whether it did. */
export async function scheduledTurn(intervalMs: number, deps: ScheduleDeps): Promise<boolean> {
  if (!isScanDue(await deps.latestStartedAt(), intervalMs, deps.now())) return false;
  await deps.start();
  return true;
}

/** Starts the timer when an interval is configured; the first turn comes shortly after start-up. Returns a stop function. */
export function startScheduledScans(env: ServerEnv): (() => void) | undefined {
  const minutes = env.SCOPEWISE_SCAN_INTERVAL_MINUTES;
  if (!minutes) return undefined;
  const intervalMs = minutes * 60_000;
  const viewer = { kind: "server" } as const;
  const deps: ScheduleDeps = {
    async latestStartedAt() {
      const { latest } = await latestScans(await jobsStore(), scanScopeOf(env, viewer).key);
      return latest ? (latest.startedAt ?? latest.scannedAt) : undefined;
    },
    start: () => startScan(viewer, { trigger: "schedule", requestedBy: `the schedule (every ${minutes} min)` }),
    now: Date.now,
  };
  const turn = () => void scheduledTurn(intervalMs, deps).catch((err: unknown) => console.error("scheduled scan could not start", err));
  const first = setTimeout(turn, 5_000);
  // Checked every minute (or interval, if shorter): a replica that skipped takes over when the others stop.
  const timer = setInterval(turn, Math.min(intervalMs, 60_000));
  first.unref?.();
  timer.unref?.();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
