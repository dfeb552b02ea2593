import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KubeConfig } from "@kubernetes/client-node";
import { startEmulator, type EmulatorHandle } from "@/emulator/server";
import { kubeToken, rbacTenant, users } from "@/emulator/testdata/rbac-tenant";
import { ids } from "@/emulator/testdata/tenant";
import type { TenantFile } from "@/lib/tenant/types";
import { kubeListSpecs, listClusterObjects } from "./objects";

/** A kubeconfig for aks2 carrying a user's Entra token, as buildKubeConfig makes one after kubelogin's exec. */
async function asUser(h: EmulatorHandle, user: { userPrincipalName: string }): Promise<KubeConfig> {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "aks2", server: h.clusterServer(ids.aks2)!, caData: Buffer.from(h.caPem).toString("base64"), skipTLSVerify: false }],
    users: [{ name: "u", token: await kubeToken(h, user) }],
    contexts: [{ name: "aks2", cluster: "aks2", user: "u" }],
    currentContext: "aks2",
  });
  return kc;
}

const count = (objects: { kind: string }[]) => {
  const out: Record<string, number> = {};
  for (const o of objects) out[o.kind] = (out[o.kind] ?? 0) + 1;
  return out;
};

/** What a complete read of aks2 holds: the tenant file's objects of every kind a scan lists. */
function expected(t: TenantFile): Record<string, number> {
  const kinds = new Set(kubeListSpecs.map((s) => s.kind));
  return count(t.kubernetes![ids.aks2]!.filter((o) => kinds.has(o.kind)));
}

describe("listClusterObjects as a least-privileged Entra user", () => {
  const handles: EmulatorHandle[] = [];
  let installed: EmulatorHandle;
  let absent: EmulatorHandle;
  let installedTenant: TenantFile;

  beforeAll(async () => {
    installedTenant = rbacTenant({ azureRbac: false, podIdentity: true });
    installed = await startEmulator({ tenant: installedTenant });
    absent = await startEmulator({ tenant: rbacTenant({ azureRbac: true, podIdentity: false }) });
    handles.push(installed, absent);
  });
  afterAll(async () => {
    await Promise.all(handles.map((h) => h.close()));
  });

  it("a user bound to exactly deploy/kubernetes/scopewise-reader.yaml reads the cluster completely", async () => {
    const { data, errors } = await listClusterObjects(await asUser(installed, users.rita), ids.aks2);
    expect(errors).toEqual([]);
    expect(count(data)).toEqual(expected(installedTenant));
    expect(count(data).AzureIdentity).toBe(1);
  });

  it("with view only, the aad-pod-identity kinds are refused and the error names the verb and resource", async () => {
    const { data, errors } = await listClusterObjects(await asUser(installed, users.victor), ids.aks2);
    expect(errors.map((e) => e.source)).toEqual(["kubernetes:azureidentities", "kubernetes:azureidentitybindings"]);
    expect(errors[0]).toMatchObject({ status: 403, code: "Forbidden", cluster: ids.aks2 });
    expect(errors[0]!.message).toMatch(/refused: list azureidentities\.aadpodidentity\.k8s\.io/);
    expect(errors[0]!.message).toMatch(/User "victor@scopewise\.test" cannot list resource "azureidentities"/);
    expect(count(data).Pod).toBeGreaterThan(0);
  });

  it("where aad-pod-identity is not installed, a 403 on its kinds is recognised through discovery and is no error", async () => {
    // AKS RBAC Reader (Azure RBAC) covers the built-in kinds only; the CRD lists answer 403.
    const { data, errors } = await listClusterObjects(await asUser(absent, users.azure), ids.aks2);
    expect(errors).toEqual([]);
    expect(count(data).Namespace).toBeGreaterThan(0);
    expect(absent.counts()["k8s:discovery"]).toBeGreaterThan(0);
  });

  it("a user with no rights at all gets an error per kind, each naming what was refused", async () => {
    const { errors } = await listClusterObjects(await asUser(absent, users.nora), ids.aks2);
    const sources = errors.map((e) => e.source);
    expect(sources).toEqual(kubeListSpecs.filter((s) => !s.optional).map((s) => `kubernetes:${s.plural}`));
    expect(errors.find((e) => e.source === "kubernetes:deployments")!.message).toMatch(/refused: list deployments\.apps/);
  });
});
