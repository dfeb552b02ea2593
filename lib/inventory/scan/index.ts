import { createAzureClients, type AzureClients } from "@/lib/azure/clients";
import { listSubscriptions } from "@/lib/azure/subscriptions";
import { DeadlineExceededError } from "@/lib/azure/throttle";
import { ConfigurationError } from "@/lib/env";
import { toSourceError } from "@/lib/model/source-error";
import type { Inventory, SourceError } from "@/lib/model/types";
import type { RawCollection, WireObject } from "@/lib/model/wire";
import { buildInventory } from "../build";
import { readThroughArm } from "./arm";
import { scanDefaults, ScanAuthenticationError, useResourceGraph, validateConfig, type ReuseStats, type ScanConfig, type ScanStats } from "./config";
import { assignSubscriptionParents, readManagementGroups, selectSubscriptions } from "./hierarchy";
import { readKubernetes } from "./kubernetes";
import { principalIdsOf, readPrincipals } from "./principals";
import { progressReporter, reportingErrorList, ScanCancelledError, ScanPhase, throwIfCancelled, type ScanProgressEvent, type ScanProgressSink } from "./progress";
import { mergeReads, type SubscriptionRead } from "./reads";
import { inheritedOnly, readThroughResourceGraph } from "./resource-graph";
import { baselineOf, scanTarget, usableBaseline, type ScanBaseline } from "./baseline";
import { reuseNote } from "./reuse-note";
import { rereadThroughResourceGraph } from "./rescan";

export { ScanAuthenticationError, ScanCancelledError, ScanPhase, principalIdsOf, type ScanBaseline, type ScanConfig, type ScanProgressEvent, type ScanProgressSink, type ScanStats };

/**
 * Reads a tenant into wire shapes. Partial failures are in `errors`; only configuration and
 * authentication problems throw, and ScanCancelledError once `config.signal` is aborted.
 */
export async function collectTenant(config: ScanConfig): Promise<RawCollection> {
  return (await scanWithBaseline(config)).raw;
}

export interface ScanResult {
  raw: RawCollection;
  /** What the next scan of the same target may build on (see ScanBaseline); absent when nothing was read completely. */
  baseline?: ScanBaseline;
}

/**
 * Reads a tenant like `collectTenant`, building on `previous` (the baseline an earlier scan of
 * the same target left) where it can prove nothing changed, and returns the baseline for the
 * next scan. `config.stats.reuse` and a note in `raw.notes` say what was taken over.
 */
export async function scanWithBaseline(config: ScanConfig, previous?: ScanBaseline): Promise<ScanResult> {
  const startedAt = new Date().toISOString();
  const concurrency = validateConfig(config);
  throwIfCancelled(config.signal);
  const report = progressReporter(config.onProgress);
  let clients: AzureClients;
  try {
    clients = createAzureClients({ ...config, deadlineMs: config.deadlines?.azureMs ?? scanDefaults.azureDeadlineMs });
  } catch (error) {
    throw new ConfigurationError(error instanceof Error ? error.message : String(error));
  }
  const errors: SourceError[] = reportingErrorList(report);
  const raw: RawCollection = {
    tenantId: config.tenantId,
    managementGroups: [],
    subscriptions: [],
    resourceGroups: [],
    resources: [],
    roleDefinitions: [],
    roleAssignments: [],
    federatedIdentityCredentials: [],
    principals: null,
    kubernetes: {},
    kubernetesRead: [],
    errors,
  };
  const finish = (stats: Omit<ScanStats, keyof AzureClients["stats"]>) => {
    if (config.stats) Object.assign(config.stats, { ...clients.stats, ...stats } satisfies ScanStats);
  };

  let visible: WireObject[];
  report({ kind: "phase", phase: ScanPhase.Listing });
  try {
    visible = await listSubscriptions(clients);
  } catch (error) {
    throwIfCancelled(config.signal);
    const sourceError = toSourceError(error, { source: "arm:subscriptions", scope: "/subscriptions" });
    if (sourceError.status === 401) throw new ScanAuthenticationError(sourceError);
    errors.push(sourceError);
    finish({ path: "arm", clusterDeadlinesHit: 0 });
    return { raw };
  }
  raw.subscriptions = selectSubscriptions(visible, config.subscriptions, errors);
  const left = visible.length - raw.subscriptions.length;
  if (config.subscriptions?.length && left > 0) raw.partialScope = `only ${raw.subscriptions.length} selected subscription(s) of the ${visible.length} the credential can see were scanned`;
  raw.tenantId ??= raw.subscriptions.map((s) => s.tenantId).find((v): v is string => typeof v === "string" && v !== "");

  const subscriptionIds = raw.subscriptions.map((s) => String(s.subscriptionId));
  report({ kind: "subscriptions", total: subscriptionIds.length });
  const managementGroupsPromise = readManagementGroups(clients, concurrency, errors);
  const notes: string[] = [];
  let path: ScanStats["path"] = "arm";
  let resourceGraphFallback: string | undefined;
  let reads: SubscriptionRead[] | undefined;
  const target = scanTarget(clients.armEndpoint, raw.tenantId, subscriptionIds);
  const usable = usableBaseline(previous, target);
  const baseline = "baseline" in usable ? usable.baseline : undefined;
  let truncated = false;
  let armReuse: ReuseStats | undefined;
  let fullReadReason = previous ? ("reason" in usable ? usable.reason : undefined) : undefined;
  if (useResourceGraph(config, subscriptionIds.length)) {
    report({ kind: "phase", phase: ScanPhase.ResourceGraph });
    if (baseline?.arm) {
      const again = await rereadThroughResourceGraph(clients, subscriptionIds, { ...baseline, arm: baseline.arm }, errors).catch((error: unknown) => {
        // Any other failure of the change reads leaves it to the full read below.
        if (error instanceof DeadlineExceededError) throw error;
        return undefined;
      });
      throwIfCancelled(config.signal);
      if (again) {
        path = "resource-graph";
        reads = [again.read];
        truncated = again.truncated;
        armReuse = again.reuse;
      } else fullReadReason = "Resource Graph's change tables could not be read completely";
    } else if (baseline) fullReadReason = "the earlier scan did not read resources completely through Resource Graph";
  }
  if (!reads && useResourceGraph(config, subscriptionIds.length)) {
    const graph = await readThroughResourceGraph(clients, subscriptionIds, errors, report);
    throwIfCancelled(config.signal);
    if ("failure" in graph) {
      // Nothing ARG returned is kept: the per-subscription reads below cover the same data.
      resourceGraphFallback = graph.failure;
    } else {
      path = "resource-graph";
      reads = [graph.read];
      truncated = graph.truncated;
    }
  }
  if (truncated) notes.push("Resource Graph truncated some results (resultTruncated); resources or role assignments may be missing. Scan with resourceGraph: \"never\" for complete per-subscription reads.");
  if (!reads) {
    report({ kind: "phase", phase: ScanPhase.Subscriptions });
    reads = await readThroughArm(clients, subscriptionIds, concurrency, errors, report);
  }
  raw.managementGroups = await managementGroupsPromise;
  throwIfCancelled(config.signal);
  assignSubscriptionParents(raw.subscriptions, raw.managementGroups);
  if (path === "resource-graph") {
    const read = reads[0] as SubscriptionRead;
    read.roleAssignments = inheritedOnly(read.roleAssignments, raw.subscriptions, raw.managementGroups);
  }

  const merged = mergeReads(reads);
  raw.resourceGroups = merged.resourceGroups;
  raw.resources = merged.resources;
  raw.roleDefinitions = merged.roleDefinitions;
  raw.roleAssignments = merged.roleAssignments;
  raw.federatedIdentityCredentials = merged.federatedCredentials;

  report({ kind: "phase", phase: ScanPhase.Clusters });
  const [principals, kubernetes] = await Promise.all([
    readPrincipals(clients, principalIdsOf(raw), errors, report),
    readKubernetes(clients, config, merged.clusters, concurrency, raw, errors, baseline?.clusters, report),
  ]);
  throwIfCancelled(config.signal);
  raw.principals = principals;
  const reuse = baseline ? { ...(armReuse ? { arm: armReuse } : {}), kubernetes: { reused: kubernetes.reused, read: merged.clusters.length - kubernetes.reused } } : undefined;
  if (reuse && baseline) notes.push(reuseNote(baseline.startedAt, reuse));
  if (notes.length > 0) raw.notes = notes;
  finish({ path, resourceGraphFallback, clusterDeadlinesHit: kubernetes.deadlinesHit, ...(reuse ? { reuse } : {}), ...(fullReadReason ? { fullReadReason } : {}) });
  // Parallel reads finish in any order; a stable order keeps scan output diffable.
  errors.sort((a, b) => errorKey(a).localeCompare(errorKey(b)));
  return { raw, baseline: baselineOf(raw, { startedAt, target, resourceGraph: path === "resource-graph", truncated, clusterReads: kubernetes.reads }) };
}

function errorKey(e: SourceError): string {
  return `${e.source}\u0000${e.scope ?? ""}\u0000${e.cluster ?? ""}\u0000${e.message}`;
}

/** Reads a tenant and builds its Inventory: the live counterpart of `buildInventory(rawFromTenant(file))`. */
export async function scanTenant(config: ScanConfig): Promise<Inventory> {
  return buildInventory(await collectTenant(config));
}
