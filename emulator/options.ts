import type { TenantFile } from "@/lib/tenant/types";
import type { EmulatorClient } from "./entra";
import type { RolloutSettings } from "./rollouts";
import type { ThrottleSettings } from "./throttle";

export interface EmulatorOptions {
  /** The tenant to serve (validated again here), or `tenantFile` to load one. */
  tenant?: TenantFile;
  tenantFile?: string;
  /** 0 = pick a free port (default). */
  port?: number;
  /** Items per ARM / Kubernetes page when the client gives no limit (default 100). */
  pageSize?: number;
  /** Added to every response (default 0). */
  latencyMs?: number;
  /** Where ca.pem is written (default: a fresh temp dir). */
  dataDir?: string;
  /** App registrations allowed for client_credentials; default: one generated client. */
  clients?: EmulatorClient[];
  /** managedCluster ids whose Kubernetes API answers 500 (fault injection). */
  failClusters?: string[];
  /**
   * How long a rollout takes per pod (default 150 ms); 0 replaces a workload's pods at once.
   * `progressDeadlineMs` overrides Deployments' spec.progressDeadlineSeconds (crash-fault tests).
   */
  rollout?: RolloutSettings;
  /** A federated credential written less than this long ago is not yet seen by Entra (default 0). */
  ficPropagationMs?: number;
  /** Simulate ARM read throttling (token bucket per principal, 429 + Retry-After); off when absent. */
  throttle?: ThrottleSettings;
}
