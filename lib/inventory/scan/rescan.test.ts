import { KubeConfig, KubernetesObjectApi } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type EmulatorHandle } from "@/emulator/server";
import { call, tokenFor } from "@/emulator/testdata/http-client";
import { buildDemo } from "@/fixtures/tenants/demo-scenario";
import { normalizeId } from "@/lib/model/scope";
import type { ArmWireObject } from "@/lib/model/wire";
import { evaluateRules } from "@/lib/rules/evaluate";
import { scanConfigForEmulator } from "@/lib/scan/connection";
import type { TenantFile } from "@/lib/tenant/types";
import { buildInventory } from "../build";
import type { ScanBaseline } from "./baseline";
import { scanWithBaseline, type ScanConfig, type ScanStats } from "./index";

const UAI = "microsoft.managedidentity/userassignedidentities";
const dataCalls = (counts: Record<string, number>) => Object.entries(counts).filter(([k]) => !k.startsWith("entra:") && k !== "meta").reduce((n, [, c]) => n + c, 0);

describe("rescans against the emulator (demo tenant, Resource Graph path)", () => {
  let tenant: TenantFile;
  let h: EmulatorHandle;
  let token: string;
  let baseline: ScanBaseline | undefined;
  let fullCalls = 0;

  /** Scans building on the last baseline (or from scratch); returns the findings, the stats and the calls it made. */
  async function scan(options: { fresh?: boolean; overrides?: Partial<ScanConfig> } = {}) {
    h.resetCounts();
    const stats = {} as ScanStats;
    const result = await scanWithBaseline(scanConfigForEmulator(h, { resourceGraph: "always", stats, ...options.overrides }), options.fresh ? undefined : baseline);
    baseline = result.baseline;
    const findings = evaluateRules(buildInventory(result.raw));
    return { raw: result.raw, stats, findings, calls: dataCalls(h.counts()), counts: h.counts() };
  }
  const arm = (method: string, id: string, apiVersion: string, body?: unknown) =>
    call(h, method, `${id}?api-version=${apiVersion}`, { token, headers: { "content-type": "application/json" }, ...(body ? { body: JSON.stringify(body) } : {}) });

  beforeAll(async () => {
    tenant = buildDemo().tenant;
    h = await startEmulator({ tenant: structuredClone(tenant) });
    token = await tokenFor(h, "https://management.azure.com");
    fullCalls = (await scan({ fresh: true })).calls;
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it("takes over everything of an unchanged tenant and finds exactly what a full scan finds", async () => {
    const full = await scan({ fresh: true });
    const again = await scan();
    expect(again.findings.map((f) => f.id)).toEqual(full.findings.map((f) => f.id));
    expect(again.counts["arm:federatedIdentityCredentials"] ?? 0).toBe(0);
    expect(again.counts["arm:listClusterUserCredential"] ?? 0).toBe(0);
    expect(again.calls).toBeLessThan(full.calls / 2);
    const reuse = again.stats.reuse!;
    expect(reuse.arm?.resources.readAgain).toBe(0);
    expect(reuse.arm?.federatedCredentials.listed).toBe(0);
    expect(reuse.kubernetes.read).toBe(0);
    expect(again.raw.notes?.find((n) => n.startsWith("Rescan:"))).toMatch(/federated-credential lists/);
  });

  it("sees a new role assignment", async () => {
    const app = tenant.resources.find((r) => String(r.type).toLowerCase() === UAI && /app|api/i.test(String(r.name)))!;
    const principalId = (app.properties as { principalId: string }).principalId;
    const sub = tenant.subscriptions[0]!.subscriptionId;
    const id = `/subscriptions/${sub}/providers/Microsoft.Authorization/roleAssignments/cccccccc-1111-4000-8000-000000000001`;
    expect((await arm("PUT", id, "2022-04-01", { properties: { roleDefinitionId: `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635`, principalId, principalType: "ServicePrincipal" } })).status).toBe(201);
    const after = await scan();
    expect(after.findings.some((f) => normalizeId(f.roleAssignmentId ?? "") === normalizeId(id))).toBe(true);
    expect(after.stats.reuse?.arm).toBeDefined();
  });

  it("sees a new federated credential", async () => {
    const cluster = tenant.resources.find((r) => (r.properties as { oidcIssuerProfile?: { issuerURL?: string } })?.oidcIssuerProfile?.issuerURL)!;
    const issuer = (cluster.properties as { oidcIssuerProfile: { issuerURL: string } }).oidcIssuerProfile.issuerURL;
    const identity = tenant.resources.find((r) => String(r.type).toLowerCase() === UAI)!;
    const fic = `${identity.id}/federatedIdentityCredentials/ghost-trust`;
    expect((await arm("PUT", fic, "2023-01-31", { properties: { issuer, subject: "system:serviceaccount:ghost:nobody", audiences: ["api://AzureADTokenExchange"] } })).status).toBe(201);
    const after = await scan();
    expect(after.findings.filter((f) => f.ruleId === "federated-credential-dangling").map((f) => f.targetIds?.[0])).toContain(fic);
    expect(after.stats.reuse?.arm?.federatedCredentials.listed).toBe(1);
  });

  it("sees a deleted identity: its findings go and its role assignments show as orphaned", async () => {
    const before = await scan();
    const holder = before.findings.find((f) => f.identityKind === "app" && f.roleAssignmentId)!;
    const identity = tenant.resources.find((r) => String(r.type).toLowerCase() === UAI && (r.properties as { principalId?: string }).principalId === holder.principalId)!;
    expect((await arm("DELETE", identity.id, "2023-01-31")).status).toBe(200);
    const after = await scan();
    expect(after.findings.some((f) => f.identityKey === holder.identityKey && f.ruleId !== "orphaned-role-assignment")).toBe(false);
    expect(after.findings.some((f) => f.ruleId === "orphaned-role-assignment" && normalizeId(f.roleAssignmentId!) === normalizeId(holder.roleAssignmentId!))).toBe(true);
  });

  /** The cluster whose OIDC issuer most federated credentials trust (aks-orders-prod in the demo). */
  const trustedCluster = () => {
    const issuers = tenant.federatedIdentityCredentials!.map((f) => (f.properties as { issuer: string }).issuer);
    const issuerOf = (r: ArmWireObject) => (r.properties as { oidcIssuerProfile?: { issuerURL?: string } } | undefined)?.oidcIssuerProfile?.issuerURL;
    return tenant.resources.filter(issuerOf).sort((a, b) => issuers.filter((i) => i === issuerOf(b)).length - issuers.filter((i) => i === issuerOf(a)).length)[0]!;
  };

  it("sees a changed cluster: its OIDC issuer and workload identity turned off", async () => {
    const cluster = (await arm("GET", trustedCluster().id, "2024-05-01")).json as ArmWireObject;
    const before = await scan();
    h.putResource({ ...cluster, properties: { ...cluster.properties, oidcIssuerProfile: { enabled: false }, securityProfile: { ...(cluster.properties!.securityProfile as object), workloadIdentity: { enabled: false } } } });
    const after = await scan();
    // Workload identity off on a cluster is one finding for the cluster (its evidence names the flags).
    const featureOff = (r: typeof before) =>
      r.findings.some(
        (f) => f.ruleId === "workload-identity-misconfigured" && normalizeId(f.clusterId ?? "") === normalizeId(cluster.id) && f.evidence.some((e) => e.fact.includes("oidcIssuerProfile.enabled=false")),
      );
    expect(featureOff(before)).toBe(false);
    expect(featureOff(after)).toBe(true);
    expect(after.stats.reuse?.arm?.resources.readAgain).toBeGreaterThanOrEqual(1);
    // Back as it was: the next test relies on this cluster's issuer.
    h.putResource(cluster);
    expect(featureOff(await scan())).toBe(false);
  });

  it("sees a change inside a cluster (its revision moved): a ServiceAccount a federated credential trusts is deleted", async () => {
    const before = await scan();
    const dangling = new Set(before.findings.filter((f) => f.ruleId === "federated-credential-dangling").map((f) => f.id));
    const cluster = trustedCluster();
    const issuer = (cluster.properties as { oidcIssuerProfile: { issuerURL: string } }).oidcIssuerProfile.issuerURL;
    const accounts = Object.entries(before.raw.kubernetes).find(([id]) => normalizeId(id) === normalizeId(cluster.id))![1].filter((o) => o.kind === "ServiceAccount");
    const subjectOf = (f: ArmWireObject) => (f.properties as { subject: string }).subject;
    // A credential (still there) that trusts an existing ServiceAccount of that cluster.
    const fic = before.raw.federatedIdentityCredentials.find(
      (f) => (f.properties as { issuer: string }).issuer === issuer && accounts.some((sa) => subjectOf(f) === `system:serviceaccount:${sa.metadata.namespace}:${sa.metadata.name}`),
    )!;
    const [, , namespace, name] = subjectOf(fic).split(":");
    const kc = new KubeConfig();
    kc.loadFromString(h.kubeconfig());
    kc.setCurrentContext(String(cluster.name));
    await KubernetesObjectApi.makeApiClient(kc).delete({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace } });
    const after = await scan();
    expect(after.findings.filter((f) => f.ruleId === "federated-credential-dangling" && !dangling.has(f.id)).map((f) => f.targetIds?.[0])).toContain(fic.id);
    expect(after.stats.reuse?.kubernetes.read).toBe(1);
  });

  it("reads again what an incomplete scan left out, and a full scan's calls stay the baseline", async () => {
    await scan({ fresh: true });
    // One cluster's pods fail: that cluster is not in the baseline, the others are.
    h.injectFault({ family: "k8s:pods", status: 500, times: 1 });
    const partial = await scan({ fresh: true, overrides: { retry: { maxRetries: 0 } } });
    expect(partial.raw.errors.some((e) => e.source.startsWith("kubernetes:"))).toBe(true);
    const clusters = partial.raw.resources.filter((r) => String(r.type).toLowerCase() === "microsoft.containerservice/managedclusters").length;
    expect(baseline!.clusters.size).toBe(clusters - 1);
    const after = await scan();
    expect(after.raw.errors).toEqual([]);
    expect(after.stats.reuse?.kubernetes).toEqual({ reused: clusters - 1, read: 1 });
    // Without a Resource Graph baseline (that path failed) the ARM side is read in full.
    h.injectFault({ family: "arm:resourceGraph", status: 500, times: 1 });
    await scan({ fresh: true, overrides: { retry: { maxRetries: 0 } } });
    expect(baseline!.arm).toBeUndefined();
    const next = await scan();
    expect(next.stats.reuse?.arm).toBeUndefined();
    expect(next.stats.fullReadReason).toMatch(/did not read resources completely/);
    expect(next.calls).toBeGreaterThan(fullCalls / 2);
  });
});
