import "server-only";
import { ConfigurationError } from "@/lib/env";
import { buildCoverage } from "@/lib/inventory/coverage";
import { buildInventory } from "@/lib/inventory/build";
import { scanWithBaseline, ScanAuthenticationError, ScanCancelledError, type ScanBaseline } from "@/lib/inventory/scan";
import { ScanState, stateOfCoverage } from "@/lib/model/coverage";
import type { Finding } from "@/lib/model/findings";
import type { Inventory, SourceError } from "@/lib/model/types";
import { evaluateRules } from "@/lib/rules/evaluate";
import { findingSourcesIn } from "@/lib/rules/sources";
import type { Store } from "@/lib/store/db";
import { ScanJobs, type JobTrigger, type ScanJobRecord } from "@/lib/store/jobs";
import { latestScans, recordScan, type ScanRecordInput } from "@/lib/store/scans";
import type { ScanTarget } from "./connection";
import { applyProgressEvent, JobPhase, newProgress, stampProgress, type ScanProgress } from "./progress";
import type { ScanScope } from "./scope";
import { encodeSnapshot } from "./snapshot";

/**
 * Scans as background jobs. Starting one returns at once; the scan runs in this process,
 * writing its progress (its heartbeat) to the store every few seconds, and ends by recording
 * a scan with its state and coverage. One job per scope runs at a time (the store's unique
 * index): a second start joins it, on this replica or another. A cancel reaches the job through
 * its AbortSignal here, or through the store (the next heartbeat) from another replica.
 */

export interface StartScanJob {
  store: Store;
  scope: ScanScope;
  /** How it reads to people (kept with the job): "the demo emulator at …", "Azure as alice@…". */
  source: string;
  /** The connection, made inside the job: a failure to make it (no credential, no CA) fails the job. */
  target: () => Promise<ScanTarget>;
  trigger: JobTrigger;
  requestedBy?: string;
  /** The session whose token the scan reads with; its sign-out cancels the job. */
  sessionId?: string;
  /** Called with the scan once it is recorded (the view keeps its inventory in memory). */
  onRecorded?: (scan: RecordedScan) => void;
  /** How often progress is written and cancel requests read (default 2 s). */
  heartbeatMs?: number;
  /** Findings from inputs besides the tenant (Terraform drift from state files), recorded with the rules' findings. */
  extraFindings?: (inventory: Inventory) => Promise<Finding[]>;
}

export interface RecordedScan {
  scanId: number;
  scopeKey: string;
  inventory: Inventory;
  findings: Finding[];
  durationMs: number;
  source: string;
}

interface RunningJob {
  controller: AbortController;
  done: Promise<void>;
  sessionId?: string;
}

// Next may load this module once per route bundle: one registry per process.
const registry: Map<string, RunningJob> = ((globalThis as { __scopewiseScanJobs?: Map<string, RunningJob> }).__scopewiseScanJobs ??= new Map());

/**
 * What each scope's last scan leaves for the next (a rescan reads only what changed), per
 * session: in memory only, never stored, since it holds cluster credentials; one person's
 * baseline is never another's.
 */
const baselines: Map<string, ScanBaseline> = ((globalThis as { __scopewiseScanBaselines?: Map<string, ScanBaseline> }).__scopewiseScanBaselines ??= new Map());
const baselineKey = (start: StartScanJob) => `${start.sessionId ?? "server"}\u0000${start.scope.key}`;

/** Starts a scan job for the scope, or joins the one running (`joined`), and returns without waiting for it. */
export async function startScanJob(start: StartScanJob): Promise<{ job: ScanJobRecord; joined: boolean }> {
  const jobs = new ScanJobs(start.store);
  const startedAt = new Date().toISOString();
  const { job, created } = await jobs.startOrJoin({
    scopeKey: start.scope.key,
    tenantId: start.scope.tenantId,
    viewer: start.scope.viewer,
    source: start.source,
    trigger: start.trigger,
    requestedBy: start.requestedBy,
    progress: newProgress(startedAt),
  });
  if (!created) return { job, joined: true };
  const controller = new AbortController();
  const done = runJob(jobs, job, start, controller).finally(() => registry.delete(job.id));
  registry.set(job.id, { controller, done, sessionId: start.sessionId });
  return { job, joined: false };
}

/** Cancels a job: at once when this process runs it, else at its runner's next heartbeat. */
export async function cancelScanJob(store: Store, jobId: string, by: string): Promise<ScanJobRecord | undefined> {
  const job = await new ScanJobs(store).requestCancel(jobId);
  registry.get(jobId)?.controller.abort(new ScanCancelledError(`cancelled by ${by}`));
  return job;
}

/**
 * Waits until a job has ended, on this replica or another (polling the store for the latter),
 * and returns it as it ended; rejects after `timeoutMs`.
 */
export async function waitForJob(store: Store, jobId: string, timeoutMs = 30 * 60_000): Promise<ScanJobRecord> {
  const jobs = new ScanJobs(store);
  const until = Date.now() + timeoutMs;
  for (;;) {
    await registry.get(jobId)?.done;
    const job = await jobs.get(jobId);
    if (!job) throw new Error(`no scan job ${jobId}`);
    if (job.state !== ScanState.Running) return job;
    if (Date.now() > until) throw new Error(`scan job ${jobId} did not finish within ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Cancels the jobs a signed-out session was running: their token is gone with it. */
export function cancelJobsOfSession(sessionId: string): void {
  for (const key of baselines.keys()) if (key.startsWith(`${sessionId}\u0000`)) baselines.delete(key);
  for (const job of registry.values()) if (job.sessionId === sessionId) job.controller.abort(new ScanCancelledError("cancelled: the person who started it signed out"));
}

/**
 * Ends a job in the store, retrying for a while: a job whose end is never written would read
 * as running for as long as this process lives.
 */
async function finishPersistently(jobs: ScanJobs, jobId: string, end: Parameters<ScanJobs["finish"]>[1]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await jobs.finish(jobId, end);
      return;
    } catch (err) {
      if (attempt >= 6) {
        console.error(`scan job ${jobId}: could not record its end; it will show as interrupted once this process stops`, err);
        return;
      }
      await new Promise((r) => setTimeout(r, 1000 * attempt));
    }
  }
}

/** Why a scan failed, for people; configuration and authentication failures say so. */
function failureOf(err: unknown): string {
  if (err instanceof ScanAuthenticationError) return err.message;
  if (err instanceof ConfigurationError) return `configuration: ${err.message}`;
  return `the scan failed: ${(err as Error).message ?? String(err)}`;
}

/**
 * A scan that listed no subscription (the list failed, or none is visible) has nothing to show:
 * it failed. One that listed them and could not read some is partial, however little it read.
 */
function listedNothing(inventory: Inventory): boolean {
  return inventory.subscriptions.length === 0;
}

async function runJob(jobs: ScanJobs, job: ScanJobRecord, start: StartScanJob, controller: AbortController): Promise<void> {
  const progress: ScanProgress = newProgress(job.createdAt);
  const errors: SourceError[] = [];
  const previous = (await latestScans(start.store, start.scope.key).catch(() => ({ complete: undefined }))).complete;
  const snapshot = () => stampProgress(progress, Date.now(), previous?.durationMs);
  let writing: Promise<unknown> = Promise.resolve();
  const beat = () => {
    // One write at a time: a slow store must not pile heartbeats up.
    writing = writing
      .then(() => jobs.heartbeat(job.id, snapshot(), errors))
      .then(({ cancelRequested }) => {
        if (cancelRequested && !controller.signal.aborted) controller.abort(new ScanCancelledError("cancelled by request"));
      })
      .catch((err: unknown) => console.error(`scan job ${job.id}: could not record progress`, err));
  };
  const timer = setInterval(beat, start.heartbeatMs ?? 2000);
  timer.unref?.();
  const started = performance.now();
  const record = (state: ScanState, extra: Partial<ScanRecordInput>) =>
    recordScan(start.store, {
      scannedAt: job.createdAt,
      tenantId: start.scope.tenantId,
      viewer: start.scope.viewer,
      source: job.source,
      durationMs: performance.now() - started,
      findings: [],
      errors,
      state,
      scopeKey: start.scope.key,
      jobId: job.id,
      startedAt: job.createdAt,
      ...extra,
    });
  try {
    const target = await start.target();
    const { raw, baseline } = await scanWithBaseline({
      ...target.config,
      signal: controller.signal,
      onProgress: (e) => {
        applyProgressEvent(progress, e);
        if (e.kind === "error") errors.push(e.error);
        target.config.onProgress?.(e);
      },
    }, baselines.get(baselineKey(start)));
    // A scan that read nothing completely leaves no baseline: the next one reads everything.
    if (baseline) baselines.set(baselineKey(start), baseline);
    else baselines.delete(baselineKey(start));
    progress.phase = JobPhase.Evaluating;
    beat();
    const inventory = buildInventory(raw);
    errors.splice(0, errors.length, ...inventory.errors);
    const findings = [...evaluateRules(inventory), ...((await start.extraFindings?.(inventory)) ?? [])];
    const coverage = buildCoverage(inventory);
    const sourcesOf = findingSourcesIn(inventory);
    const state = listedNothing(inventory) ? ScanState.Failed : stateOfCoverage(coverage);
    progress.phase = JobPhase.Recording;
    const failure = state === ScanState.Failed ? (inventory.errors[0]?.message ?? "nothing could be read") : undefined;
    const { scanId } = await record(state, {
      scannedAt: inventory.scannedAt,
      tenantId: (inventory.tenantId ?? start.scope.tenantId)?.toLowerCase(),
      findings,
      coverage,
      ...(failure ? { failure } : {}),
      ...(state === ScanState.Failed ? {} : { sources: new Map(findings.map((f) => [f.id, sourcesOf(f)])), snapshot: await encodeSnapshot(raw, inventory.scannedAt) }),
    });
    if (state !== ScanState.Failed) {
      try {
        start.onRecorded?.({ scanId, scopeKey: start.scope.key, inventory, findings, durationMs: Math.round(performance.now() - started), source: target.source });
      } catch (err) {
        console.error(`scan job ${job.id}: keeping the scan in memory failed; it will be read from the store`, err);
      }
    }
    progress.phase = JobPhase.Done;
    await writing;
    await finishPersistently(jobs, job.id, { state, progress: snapshot(), errors, scanId, ...(failure ? { error: failure } : {}) });
  } catch (err) {
    const cancelled = err instanceof ScanCancelledError;
    const expected = err instanceof ScanAuthenticationError || err instanceof ConfigurationError;
    if (expected) console.warn(`scan job ${job.id} failed: ${failureOf(err)}`);
    else if (!cancelled) console.error(`scan job ${job.id} failed`, err);
    const state = cancelled ? ScanState.Cancelled : ScanState.Failed;
    const message = cancelled ? err.message : failureOf(err);
    await writing;
    const scanId = await record(state, { failure: message }).then(
      (r) => r.scanId,
      (recordError: unknown) => {
        console.error(`scan job ${job.id}: could not record the ${state} scan`, recordError);
        return undefined;
      },
    );
    await finishPersistently(jobs, job.id, { state, progress: snapshot(), errors, error: message, scanId });
  } finally {
    clearInterval(timer);
  }
}
