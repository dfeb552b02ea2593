import type { TenantFile } from "@/lib/tenant/types";

/** Options, shapes and sizes of generated tenants (lib/tenant/generate.ts). */

export const TenantShape = { Standard: "standard", Adversarial: "adversarial" } as const;
export type TenantShape = (typeof TenantShape)[keyof typeof TenantShape];
export const tenantShapes = Object.values(TenantShape);

export interface GenerateOptions {
  /** `standard` unless given. */
  shape?: TenantShape;
  subscriptions: number;
  /** Role assignments in total (at least the ones the clusters and apps need; the rest are human / group grants). */
  assignments: number;
  clusters: number;
  /** Pods in total, spread over the clusters' apps. */
  pods: number;
  seed: number;
  /** Standard shape: share of workload-identity grants made wider than needed (default 0.05). */
  overBroadShare?: number;
  /** Adversarial shape: user-assigned app identities (default: one per ~8 assignments). */
  identities?: number;
}

export interface GeneratedTenant {
  tenant: TenantFile;
  /** What was generated on purpose, so tests and the benchmark can check counts. */
  summary: {
    subscriptions: number;
    clusters: number;
    pods: number;
    roleAssignments: number;
    /** User-assigned identities that apps use. */
    workloadIdentities: number;
    /** Workload-identity assignments deliberately granted at a wider scope or stronger role than the app needs. */
    overBroadAssignments: number;
  };
}

export type TenantSize = "small" | "medium" | "large";
export const tenantSizeNames: TenantSize[] = ["small", "medium", "large"];
type SizeCounts = Pick<GenerateOptions, "subscriptions" | "assignments" | "clusters" | "pods" | "identities">;

/** The benchmark's sizes per shape (`npm run gen-tenant -- --shape S --size Z`, `npm run bench`). */
export const tenantSizes: Record<TenantShape, Record<TenantSize, SizeCounts>> = {
  standard: {
    small: { subscriptions: 20, assignments: 2_000, clusters: 5, pods: 1_000 },
    medium: { subscriptions: 200, assignments: 20_000, clusters: 20, pods: 10_000 },
    large: { subscriptions: 200, assignments: 100_000, clusters: 50, pods: 20_000 },
  },
  adversarial: {
    small: { subscriptions: 20, assignments: 2_000, clusters: 5, pods: 1_000, identities: 240 },
    medium: { subscriptions: 200, assignments: 20_000, clusters: 20, pods: 10_000, identities: 2_400 },
    large: { subscriptions: 200, assignments: 100_000, clusters: 50, pods: 20_000, identities: 2_400 },
  },
};

/** Validates the options; messages name the option. */
export function checkGenerateOptions(o: Partial<GenerateOptions>): string[] {
  const problems: string[] = [];
  if (o.shape !== undefined && !tenantShapes.includes(o.shape)) problems.push(`--shape must be one of ${tenantShapes.join(", ")}, got ${String(o.shape)}`);
  const integer = (name: keyof GenerateOptions, min: number, optional = false) => {
    const v = o[name];
    if (optional && v === undefined) return;
    if (typeof v !== "number" || !Number.isInteger(v) || v < min) problems.push(`--${name} must be an integer ≥ ${min}, got ${String(v)}`);
  };
  integer("subscriptions", 1);
  integer("assignments", 0);
  integer("clusters", 0);
  integer("pods", 0);
  integer("seed", 0);
  integer("identities", 1, true);
  if (o.overBroadShare !== undefined && !(o.overBroadShare >= 0 && o.overBroadShare <= 1)) problems.push(`overBroadShare must be between 0 and 1, got ${o.overBroadShare}`);
  if ((o.pods ?? 0) > 0 && (o.clusters ?? 0) === 0) problems.push("--pods needs at least one cluster (--clusters)");
  return problems;
}
