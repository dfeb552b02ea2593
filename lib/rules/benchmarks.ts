/**
 * Benchmark controls the rules evidence, as data: each rule's metadata names the controls its
 * findings show a gap in (docs/rules.md lists them). A rule maps to a control only where the
 * control's text covers what the rule checks.
 */

export const Benchmark = {
  /** Microsoft cloud security benchmark v1. */
  Mcsb: "mcsb",
  /** CIS Azure Kubernetes Service (AKS) Benchmark v1.7.0. */
  CisAks: "cis-aks",
} as const;
export type Benchmark = (typeof Benchmark)[keyof typeof Benchmark];

export const BenchmarkName: Record<Benchmark, string> = {
  [Benchmark.Mcsb]: "Microsoft cloud security benchmark v1",
  [Benchmark.CisAks]: "CIS Azure Kubernetes Service (AKS) Benchmark v1.7.0",
};

export interface BenchmarkControl {
  benchmark: Benchmark;
  /** The control's id in its benchmark: `PA-7`, `5.1.3`. */
  id: string;
  title: string;
  /** Where the control's text is published: the source of the mapping. */
  url: string;
}

const MCSB = "https://learn.microsoft.com/en-us/security/benchmark/azure";
/*
 * The CIS benchmark text is distributed by CIS on sign-up; kube-bench's AKS 1.7 check definitions
 * publish each item's number and title.
 */
const CIS_AKS_MANAGED = "https://github.com/aquasecurity/kube-bench/blob/main/cfg/aks-1.7/managedservices.yaml";

const mcsb = (id: string, title: string, page: string, anchor: string): BenchmarkControl => ({ benchmark: Benchmark.Mcsb, id, title, url: `${MCSB}/${page}#${anchor}` });

export const Control = {
  /** Owner, User Access Administrator and other roles that administer access. */
  mcsbPA1: mcsb("PA-1", "Separate and limit highly privileged/administrative users", "mcsb-privileged-access", "pa-1-separate-and-limit-highly-privilegedadministrative-users"),
  /** Entitlements removed with the identity or the job they were for. */
  mcsbPA3: mcsb("PA-3", "Manage lifecycle of identities and entitlements", "mcsb-privileged-access", "pa-3-manage-lifecycle-of-identities-and-entitlements"),
  /** Just enough permissions, at the narrowest scope. */
  mcsbPA7: mcsb("PA-7", "Follow just enough administration (least privilege) principle", "mcsb-privileged-access", "pa-7-follow-just-enough-administration-least-privilege-principle"),
  /** Managed identities (no credentials to handle) for applications, instead of service principals with secrets. */
  mcsbIM3: mcsb("IM-3", "Manage application identities securely and automatically", "mcsb-identity-management", "im-3-manage-application-identities-securely-and-automatically"),
  /** Credentials and secrets kept out of code, files and places others can read. */
  mcsbIM8: mcsb("IM-8", "Restrict the exposure of credentials and secrets", "mcsb-identity-management", "im-8-restrict-the-exposure-of-credentials-and-secrets"),
  /** The cluster's registry access is pull only. */
  cisAks513: { benchmark: Benchmark.CisAks, id: "5.1.3", title: "Minimize cluster access to read-only for Azure Container Registry (ACR)", url: CIS_AKS_MANAGED },
  /** Workloads do not authenticate as the node; each has its own identity, and no keys stored as Kubernetes secrets. */
  cisAks521: { benchmark: Benchmark.CisAks, id: "5.2.1", title: "Prefer using dedicated AKS Service Accounts", url: CIS_AKS_MANAGED },
} as const satisfies Record<string, BenchmarkControl>;

/** Every control some rule may name, in listing order. */
export const CONTROLS: readonly BenchmarkControl[] = Object.values(Control);

/** A control's key in URLs and exports: `mcsb:PA-7`, `cis-aks:5.1.3`. */
export function controlKey(c: Pick<BenchmarkControl, "benchmark" | "id">): string {
  return `${c.benchmark}:${c.id}`;
}

/** `MCSB PA-7`, `CIS AKS 5.1.3`: how a control is named in lists. */
export function controlLabel(c: Pick<BenchmarkControl, "benchmark" | "id">): string {
  return `${c.benchmark === Benchmark.Mcsb ? "MCSB" : "CIS AKS"} ${c.id}`;
}

/** The rule ids that evidence each control, in listing order; controls no rule names are left out. */
export function rulesByControl(rules: readonly { id: string; benchmarks?: readonly BenchmarkControl[] }[]): { control: BenchmarkControl; ruleIds: string[] }[] {
  return CONTROLS.map((control) => ({
    control,
    ruleIds: rules.filter((r) => r.benchmarks?.some((c) => controlKey(c) === controlKey(control))).map((r) => r.id),
  })).filter((g) => g.ruleIds.length > 0);
}
