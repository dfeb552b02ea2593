import { describe, expect, it } from "vitest";
import { startEmulator } from "@/emulator/server";
import { scanConfigForEmulator } from "@/lib/scan/connection";
import { normalizeId } from "@/lib/model/scope";
import type { Finding } from "@/lib/model/findings";
import { IdentityKind, LinkMechanism, type Inventory } from "@/lib/model/types";
import { evaluateRules } from "@/lib/rules/evaluate";
import { addScaleSet } from "@/lib/tenant/builder/resources";
import { POD_IDENTITY_BINDING_LABEL } from "@/lib/model/kubernetes";
import type { TenantFile } from "@/lib/tenant/types";
import { buildInventory } from "../build";
import { fidelityTenant } from "./fidelity.testing";
import { collectTenant } from "./index";

/**
 * Graph refused: the scan still joins what ARM says about one principal under one identity.
 * `alpha` holds a service-principal cluster (ARM names its control plane by client id only) and
 * an aad-pod-identity app whose identity lives in `gamma`, a subscription the scan was not asked
 * to read; the node pool's scale set carries it (principal id, client id and resource id together).
 */
function withoutGraphTenant() {
  const t = fidelityTenant("fabrikam-without-graph");
  const { b, alpha, beta, cluster, kube, rgApps } = t;
  const gamma = b.subscription("gamma", t.mgCorp).subscriptionId;
  const ledger = b.userAssignedIdentity(b.resourceGroup(gamma, "rg-shared-identities"), "id-ledger");
  addScaleSet(b, cluster.nodeRgId, { vmss: "aks-system-10000000-vmss", pool: "system", count: 2, vmSize: "Standard_D4ds_v5", clusterName: "aks-alpha", kubernetesVersion: "1.31.3", identities: [cluster.kubelet, ledger] });
  kube.namespace("ledger");
  kube.azureIdentity("ledger", "ledger", { type: 0, resourceID: ledger.resourceId, clientID: ledger.clientId });
  kube.azureIdentityBinding("ledger", "ledger-binding", "ledger", "ledger");
  kube.deployment("ledger", "ledger", 1, { podLabels: { app: "ledger", [POD_IDENTITY_BINDING_LABEL]: "ledger" }, pool: "system", containers: [{ name: "ledger", image: "fabrikam.azurecr.io/ledger:3.1.0" }] });
  const ledgerGrant = b.assign(rgApps, "Contributor", ledger);

  const sp = b.applicationServicePrincipal("aks-legacy-sp");
  const rgLegacy = b.resourceGroup(alpha, "rg-legacy");
  const legacyId = b.cluster({ rgId: rgLegacy, name: "aks-legacy", nodeResourceGroup: "MC_rg-legacy_aks-legacy_westeurope", controlPlane: { servicePrincipal: sp.appId }, pools: [{ name: "nodes", count: 1 }], fqdnHash: "5e1ac7a2" }).id;
  const spGrant = b.assign(rgLegacy, "Contributor", sp);
  return { ...t, tenant: b.tenant as TenantFile, subscriptions: [alpha, beta], ledger, ledgerGrant, sp, spGrant, legacyId };
}

async function scanWithoutGraph(tenant: TenantFile, subscriptions: string[]): Promise<{ inventory: Inventory; findings: Finding[] }> {
  const emulator = await startEmulator({ tenant });
  try {
    // Every Microsoft Graph request fails, retries included (one quick retry keeps the test short).
    emulator.injectFault({ family: "graph:", status: 500, times: 1000 });
    const raw = await collectTenant({ ...scanConfigForEmulator(emulator), subscriptions, retry: { maxRetries: 1, retryDelayInMs: 10, maxRetryDelayInMs: 20 } });
    const inventory = buildInventory(raw, { scannedAt: "2026-01-01T00:00:00.000Z" });
    return { inventory, findings: evaluateRules(inventory) };
  } finally {
    await emulator.close();
  }
}

describe("a scan Microsoft Graph refuses", () => {
  const t = withoutGraphTenant();
  let read: { inventory: Inventory; findings: Finding[] } | undefined;
  const scanned = async () => (read ??= await scanWithoutGraph(t.tenant, t.subscriptions));

  it("keeps an aad-pod-identity app identity from an unscanned subscription as one identity, its grants judged", async () => {
    const { inventory, findings } = await scanned();
    expect(inventory.errors.map((e) => e.source)).toContain("graph:principals");
    const ledger = inventory.identities.filter((i) => i.clientId === t.ledger.clientId || i.principalId === t.ledger.principalId || (i.resourceId && normalizeId(i.resourceId) === normalizeId(t.ledger.resourceId)));
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ principalId: t.ledger.principalId, clientId: t.ledger.clientId, kind: IdentityKind.App });
    expect(ledger[0]!.uses).toContainEqual(expect.objectContaining({ kind: IdentityKind.App, mechanism: LinkMechanism.PodIdentity }));
    expect(ledger[0]!.notes).toBeUndefined();
    expect(inventory.links.some((l) => l.identityKey === ledger[0]!.key && l.mechanism === LinkMechanism.PodIdentity)).toBe(true);
    // The Contributor grant is judged as the app's: the finding names the grant and the identity.
    const judged = findings.filter((f) => f.identityKey === ledger[0]!.key && f.roleAssignmentId !== undefined && normalizeId(f.roleAssignmentId) === normalizeId(t.ledgerGrant));
    expect(judged.length).toBeGreaterThan(0);
  }, 60_000);

  it("says on a service-principal cluster's identity, and in the coverage error, what Graph would have added", async () => {
    const { inventory } = await scanned();
    const controlPlane = inventory.identities.filter((i) => i.uses.some((u) => u.kind === IdentityKind.ControlPlane && normalizeId(u.clusterId!) === normalizeId(t.legacyId)));
    expect(controlPlane).toHaveLength(1);
    expect(controlPlane[0]).toMatchObject({ clientId: t.sp.appId, principalId: undefined });
    expect(controlPlane[0]!.notes).toEqual([expect.stringMatching(new RegExp(`^Microsoft Graph could not be read: the object \\(principal\\) id of client id ${t.sp.appId} is unknown`))]);
    // Its grant stays under the principal id ARM gives, not silently dropped or merged by guess.
    const byPrincipal = inventory.identities.filter((i) => i.principalId === t.sp.id);
    expect(byPrincipal).toHaveLength(1);
    expect(byPrincipal[0]!.uses).toEqual([]);
    const graphError = inventory.errors.find((e) => e.source === "graph:principals")!;
    expect(graphError.message).toMatch(/Without Graph, 1 identity is known only by client id \(aks-legacy [^)]*\): Graph would give their object ids/);
  }, 60_000);

  it("with Graph readable, the same tenant has one identity per principal and no notes", async () => {
    const emulator = await startEmulator({ tenant: t.tenant });
    try {
      const raw = await collectTenant({ ...scanConfigForEmulator(emulator), subscriptions: t.subscriptions });
      const inventory = buildInventory(raw, { scannedAt: "2026-01-01T00:00:00.000Z" });
      expect(inventory.errors).toEqual([]);
      const sp = inventory.identities.filter((i) => i.clientId === t.sp.appId || i.principalId === t.sp.id);
      expect(sp).toHaveLength(1);
      expect(inventory.identities.filter((i) => i.notes)).toEqual([]);
    } finally {
      await emulator.close();
    }
  }, 60_000);
});
