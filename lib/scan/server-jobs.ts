import "server-only";
import type { Viewer } from "@/lib/auth/viewer";
import { serverEnv } from "@/lib/env";
import { StorePart, type Store } from "@/lib/store/db";
import { ScanJobs, type JobTrigger } from "@/lib/store/jobs";
import { alertOnScan } from "./alerts/notify";
import { describeConnection } from "./connection";
import { scanConfigFromEnv } from "./env-config";
import { toJobView, type JobView } from "./job-view";
import { cancelScanJob, startScanJob } from "./jobs";
import { rememberScan } from "./loaded-scans";
import { scanScopeOf, viewerKey } from "./scope";
import { serverStore } from "./store";
import { readScanOwnership, terraformConfigOf } from "./terraform-ownership";

interface Reconciled {
  locations: Set<string>;
}
const reconciled: Reconciled = ((globalThis as { __scopewiseJobsReconciled?: Reconciled }).__scopewiseJobsReconciled ??= { locations: new Set() });

/**
 * This server's store for scan jobs. The first use in a process ends the jobs a stopped process
 * (this one before a restart, or a replica that died) left running: they show as interrupted,
 * never as running forever.
 */
export async function jobsStore(): Promise<Store> {
  const store = await serverStore(StorePart.ScanJobs);
  if (!reconciled.locations.has(store.location)) {
    const gone = await new ScanJobs(store).interruptAbandoned();
    if (gone.length > 0) console.warn(`scan jobs: ${gone.length} job(s) whose server stopped are marked interrupted`);
    reconciled.locations.add(store.location);
  }
  return store;
}

/** Starts a scan as `viewer`, or joins the one running for the same scope; returns at once. */
export async function startScan(viewer: Viewer, options: { trigger: JobTrigger; requestedBy?: string }): Promise<{ jobId: string; joined: boolean }> {
  const env = serverEnv();
  const store = await jobsStore();
  const { job, joined } = await startScanJob({
    store,
    scope: scanScopeOf(env, viewer),
    source: describeConnection(env, viewer.kind === "user" ? viewer.session.user.username : undefined),
    target: () => scanConfigFromEnv(env, viewer),
    trigger: options.trigger,
    requestedBy: options.requestedBy,
    sessionId: viewer.kind === "user" ? viewer.session.id : undefined,
    onRecorded: (scan) => {
      rememberScan(scan);
      // Webhooks may take minutes of retries: the job does not wait for them.
      void alertOnScan(env, scan);
    },
    extraFindings: async (inventory) => {
      const { drift, error } = await readScanOwnership(inventory, terraformConfigOf(env));
      if (error) console.warn(`Terraform states not read, so no drift findings: ${error}`);
      return drift;
    },
  });
  return { jobId: job.id, joined };
}

/** A job as `viewer` may see it: only jobs that scan with their own rights (others are not found). */
export async function scanJobOf(viewer: Viewer, jobId: string): Promise<JobView | undefined> {
  const job = await new ScanJobs(await jobsStore()).get(jobId);
  return job && job.viewer === viewerKey(viewer) ? toJobView(job) : undefined;
}

/** The job running for `viewer`'s scope, if any. */
export async function runningScanOf(viewer: Viewer): Promise<JobView | undefined> {
  const job = await new ScanJobs(await jobsStore()).running(scanScopeOf(serverEnv(), viewer).key);
  return job ? toJobView(job) : undefined;
}

/** Cancels one of `viewer`'s jobs; undefined when they have no such job. */
export async function cancelScan(viewer: Viewer, jobId: string, by: string): Promise<JobView | undefined> {
  if (!(await scanJobOf(viewer, jobId))) return undefined;
  const job = await cancelScanJob(await jobsStore(), jobId, by);
  return job ? toJobView(job) : undefined;
}
