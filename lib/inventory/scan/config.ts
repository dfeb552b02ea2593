import type { TokenCredential } from "@azure/core-auth";
import type { RequestStats, RetrySettings } from "@/lib/azure/throttle";
import { ConfigurationError } from "@/lib/env";
import type { SourceError } from "@/lib/model/types";
import type { ScanProgressSink } from "./progress";

/** How to reach and read a tenant: real Azure or the emulator, through the same code. */
export interface ScanConfig {
  credential: TokenCredential;
  /** Home tenant id; taken from the subscriptions when absent. */
  tenantId?: string;
  armEndpoint: string;
  armAudience?: string;
  graphEndpoint: string;
  graphAudience?: string;
  /** PEM of a CA to trust for ARM, Graph and token requests (the emulator's). */
  caPem?: string;
  /** Only these subscription ids (case-insensitive); all visible ones when absent. */
  subscriptions?: string[];
  /** Subscriptions, and separately clusters, read in parallel at most this many at a time (default 4). */
  concurrency?: number;
  /** Items per Kubernetes list page (`limit`; default 500). */
  kubernetesPageSize?: number;
  /**
   * Read role assignments, role definitions, resources and resource groups through Azure
   * Resource Graph ("auto": when more than `resourceGraphThreshold` subscriptions are
   * scanned), or always / never. Federated credentials, management groups, principals and
   * Kubernetes are read the same way on both paths.
   */
  resourceGraph?: "auto" | "always" | "never";
  /** "auto" uses Resource Graph above this many subscriptions (default 3). */
  resourceGraphThreshold?: number;
  /** Retries of throttled, failed and reset Azure requests (the SDK's retry policy). */
  retry?: RetrySettings;
  /** Azure requests in flight per host at most (default 16). */
  maxInFlightPerHost?: number;
  /** Deadlines: all Azure reads together (default 15 min), and each cluster's Kubernetes reads (default 3 min). */
  deadlines?: { azureMs?: number; clusterMs?: number };
  /** Filled at the end of the scan with what it took (requests, retries, the path used). */
  stats?: ScanStats;
  /** Called as the scan advances (phases, subscriptions, Resource Graph pages, clusters, Graph batches, errors). */
  onProgress?: ScanProgressSink;
  /** Cancels the scan: no request is sent after it is aborted, and the scan rejects with ScanCancelledError. */
  signal?: AbortSignal;
}

/** What a rescan took over from the scan before it instead of reading it again, per source. */
export interface ReuseStats {
  /** Changes were asked for after this time (the earlier scan's start, less the change tables' delay). */
  since: string;
  /** Change records found. */
  changes: number;
  resources: { reused: number; readAgain: number };
  resourceGroups: { reused: number; readAgain: number };
  federatedCredentials: { reused: number; listed: number };
}

/** What one scan cost: Azure request counters plus how the ARM side was read. */
export interface ScanStats extends RequestStats {
  path: "resource-graph" | "arm";
  /** What this scan reused from the previous one, per source; absent without a previous scan to build on. */
  reuse?: {
    /** Resource Graph sources; absent when they were read in full. */
    arm?: ReuseStats;
    /** Clusters whose Kubernetes objects were taken over (revision unchanged) and clusters read again. */
    kubernetes: { reused: number; read: number };
  };
  /** Why the previous scan could not be built on, when one was offered. */
  fullReadReason?: string;
  /** Why Resource Graph was abandoned for per-subscription reads, when it was. */
  resourceGraphFallback?: string;
  /** Clusters whose Kubernetes reads hit their deadline. */
  clusterDeadlinesHit: number;
}

/** Nothing could be read because the credential was refused; a partial scan would only show errors. */
export class ScanAuthenticationError extends Error {
  readonly status?: number;
  readonly code?: string;
  constructor(error: SourceError) {
    super(`Scan could not authenticate: ${error.message}`);
    this.name = "ScanAuthenticationError";
    this.status = error.status;
    this.code = error.code;
  }
}

export const scanDefaults = {
  concurrency: 4,
  resourceGraphThreshold: 3,
  azureDeadlineMs: 15 * 60_000,
  clusterDeadlineMs: 3 * 60_000,
} as const;

/** Checks a configuration before anything is sent; returns the concurrency to use. */
export function validateConfig(config: ScanConfig): number {
  if (!config || typeof config !== "object") throw new ConfigurationError("scan configuration is missing");
  if (!config.credential || typeof config.credential.getToken !== "function") {
    throw new ConfigurationError("scan configuration: credential must be a TokenCredential (an object with getToken)");
  }
  for (const key of ["armEndpoint", "graphEndpoint"] as const) {
    if (typeof config[key] !== "string" || config[key] === "") throw new ConfigurationError(`scan configuration: ${key} is required`);
  }
  const concurrency = config.concurrency ?? scanDefaults.concurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new ConfigurationError(`scan configuration: concurrency must be an integer from 1 to 64, got ${String(config.concurrency)}`);
  }
  const pageSize = config.kubernetesPageSize;
  if (pageSize !== undefined && (!Number.isInteger(pageSize) || pageSize < 1)) {
    throw new ConfigurationError(`scan configuration: kubernetesPageSize must be a positive integer, got ${String(pageSize)}`);
  }
  if (config.subscriptions !== undefined) {
    if (!Array.isArray(config.subscriptions) || config.subscriptions.some((s) => typeof s !== "string" || s.trim() === "")) {
      throw new ConfigurationError("scan configuration: subscriptions must be a list of subscription ids");
    }
  }
  return concurrency;
}

/** Whether the ARM side is read through Resource Graph for this many subscriptions. */
export function useResourceGraph(config: ScanConfig, subscriptionCount: number): boolean {
  const mode = config.resourceGraph ?? "auto";
  if (mode === "never" || subscriptionCount === 0) return false;
  if (mode === "always") return true;
  return subscriptionCount > (config.resourceGraphThreshold ?? scanDefaults.resourceGraphThreshold);
}
