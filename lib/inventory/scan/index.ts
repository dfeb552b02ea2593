import { createAzureClients, type AzureClients } from "@/lib/azure/clients";
import { listSubscriptions } from "@/lib/azure/subscriptions";
import { ConfigurationError } from "@/lib/env";
import { toSourceError } from "@/lib/model/source-error";
import type { Inventory, SourceError } from "@/lib/model/types";
import type { RawCollection, WireObject } from "@/lib/model/wire";
import { buildInventory } from "../build";
import { readThroughArm } from "./arm";
import { scanDefaults, ScanAuthenticationError, useResourceGraph, validateConfig, type ScanConfig, type ScanStats } from "./config";
import { assignSubscriptionParents, readManagementGroups, selectSubscriptions } from "./hierarchy";
import { readKubernetes } from "./kubernetes";
import { principalIdsOf, readPrincipals } from "./principals";
import { progressReporter, reportingErrorList, ScanCancelledError, ScanPhase, throwIfCancelled, type ScanProgressEvent, type ScanProgressSink } from "./progress";
import { mergeReads, type SubscriptionRead } from "./reads";
import { inheritedOnly, readThroughResourceGraph } from "./resource-graph";

export { ScanAuthenticationError, ScanCancelledError, ScanPhase, principalIdsOf, type ScanConfig, type ScanProgressEvent, type ScanProgressSink, type ScanStats };

/**
 * Reads a tenant into wire shapes. Partial failures are in `errors`; only configuration and
 * authentication problems throw, and ScanCancelledError once `config.signal` is aborted.
 */
export async function collectTenant(config: ScanConfig): Promise<RawCollection> {
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
    return raw;
  }
  raw.subscriptions = selectSubscriptions(visible, config.subscriptions, errors);
  raw.tenantId ??= raw.subscriptions.map((s) => s.tenantId).find((v): v is string => typeof v === "string" && v !== "");

  const subscriptionIds = raw.subscriptions.map((s) => String(s.subscriptionId));
  report({ kind: "subscriptions", total: subscriptionIds.length });
  const managementGroupsPromise = readManagementGroups(clients, concurrency, errors);
  const notes: string[] = [];
  let path: ScanStats["path"] = "arm";
  let resourceGraphFallback: string | undefined;
  let reads: SubscriptionRead[] | undefined;
  if (useResourceGraph(config, subscriptionIds.length)) {
    report({ kind: "phase", phase: ScanPhase.ResourceGraph });
    const graph = await readThroughResourceGraph(clients, subscriptionIds, concurrency, errors, report);
    throwIfCancelled(config.signal);
    if ("failure" in graph) {
      // Nothing ARG returned is kept: the per-subscription reads below cover the same data.
      resourceGraphFallback = graph.failure;
    } else {
      path = "resource-graph";
      reads = [graph.read];
      if (graph.truncated) notes.push("Resource Graph truncated some results (resultTruncated); resources or role assignments may be missing. Scan with resourceGraph: \"never\" for complete per-subscription reads.");
    }
  }
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
  const [principals, clusterDeadlinesHit] = await Promise.all([
    readPrincipals(clients, principalIdsOf(raw), errors, report),
    readKubernetes(clients, config, merged.clusters, concurrency, raw, errors, report),
  ]);
  throwIfCancelled(config.signal);
  raw.principals = principals;
  if (notes.length > 0) raw.notes = notes;
  finish({ path, resourceGraphFallback, clusterDeadlinesHit });
  // Parallel reads finish in any order; a stable order keeps scan output diffable.
  errors.sort((a, b) => errorKey(a).localeCompare(errorKey(b)));
  return raw;
}

function errorKey(e: SourceError): string {
  return `${e.source}\u0000${e.scope ?? ""}\u0000${e.cluster ?? ""}\u0000${e.message}`;
}

/** Reads a tenant and builds its Inventory: the live counterpart of `buildInventory(rawFromTenant(file))`. */
export async function scanTenant(config: ScanConfig): Promise<Inventory> {
  return buildInventory(await collectTenant(config));
}
