import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ids, T } from "@/emulator/testdata/tenant";
import { LinkMechanism } from "@/lib/model/types";
import { normalizeId } from "@/lib/model/scope";
import { ChangeStatus } from "@/lib/store/audit";
import { applyPlan, undoChange } from "./apply";
import { buildMigrationTenant } from "./testdata/migration-tenant";
import { startHarness, type Harness } from "./testdata/harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ tenant: buildMigrationTenant() });
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const reportsId = `${ids.aks1}/namespaces/default/Deployment/reports`;

describe("the pod-identity → workload-identity migration against the emulator's ARM and Kubernetes APIs", () => {
  it("applies FIC + ServiceAccount + pod template + binding delete; the rescan shows a complete workload-identity link; undo puts pod identity back", async () => {
    const { inventory, findings } = await h.scan();
    const finding = findings.find((f) => f.ruleId === "pod-identity-deprecated" && f.clusterId === ids.aks1)!;
    const plan = finding.fixes.find((p) => p.id === "migrate-to-workload-identity")!;
    const before = inventory.links.find((l) => normalizeId(l.workloadId) === normalizeId(reportsId))!;
    expect(before.mechanism).toBe(LinkMechanism.PodIdentity);

    const dry = await applyPlan(plan, { ...h.options(inventory, finding), dryRun: true });
    expect(dry.status).toBe("dry-run");
    // FIC, ServiceAccount, pod template, binding delete, then the AzureIdentity no binding uses any more.
    expect(dry.steps.map((s) => s.op)).toEqual(["create-federated-credential", "kubernetes-apply", "kubernetes-apply", "kubernetes-delete", "kubernetes-delete"]);
    expect(dry.followUps).toHaveLength(1);

    const result = await applyPlan(plan, h.options(inventory, finding));
    expect(result.status).toBe(ChangeStatus.Applied);

    const after = await h.scan();
    const link = after.inventory.links.find((l) => normalizeId(l.workloadId) === normalizeId(reportsId))!;
    expect(link).toMatchObject({ mechanism: LinkMechanism.WorkloadIdentity, complete: true, problems: [], serviceAccount: { namespace: "default", name: "reports" } });
    expect(link.podIds).toHaveLength(2);
    expect(after.inventory.identities.find((i) => i.key === link.identityKey)?.principalId).toBe(T.appPrincipal);
    expect(after.inventory.kubernetes.azureIdentityBindings.map((b) => b.name)).not.toContain("reader-binding");
    // With no AzureIdentity left the cluster no longer uses aad-pod-identity: the finding is resolved.
    expect(after.inventory.kubernetes.azureIdentities.filter((a) => normalizeId(a.clusterId) === normalizeId(finding.clusterId!))).toEqual([]);
    expect(after.findings.map((f) => f.id)).not.toContain(finding.id);
    const fic = after.inventory.federatedCredentials.find((f) => f.subject === "system:serviceaccount:default:reports")!;
    expect(fic.issuer).toBe("https://westeurope.oic.prod-aks.azure.com/tenant/aks1/");
    expect(after.inventory.kubernetes.serviceAccounts.find((s) => s.namespace === "default" && s.name === "reports")).toBeDefined();

    // The log holds the objects as they were: the Deployment before its template changed, the binding before deletion.
    const change = (await h.audit.get(result.changeId!))!;
    expect(change.steps.map((s) => s.status)).toEqual(["done", "done", "done", "done", "done"]);
    expect(change.steps[1]!.before).toBeNull();
    expect(change.steps[2]!.before).toMatchObject({ kind: "Deployment", spec: { template: { metadata: { labels: { aadpodidbinding: "reader" } } } } });
    expect(change.steps[3]!.before).toMatchObject({ kind: "AzureIdentityBinding", spec: { selector: "reader" } });
    expect(change.steps[4]!.before).toMatchObject({ kind: "AzureIdentity" });

    const undo = await undoChange(result.changeId!, { azure: h.azure, kube: h.kube, audit: h.audit, actor: "t", subscriptionId: T.sub1 });
    expect(undo.status).toBe(ChangeStatus.Applied);
    const restored = await h.scan();
    const back = restored.inventory.links.find((l) => normalizeId(l.workloadId) === normalizeId(reportsId))!;
    expect(back).toMatchObject({ mechanism: LinkMechanism.PodIdentity, binding: { name: "reader-binding" } });
    expect(restored.inventory.federatedCredentials.some((f) => f.subject === "system:serviceaccount:default:reports")).toBe(false);
    expect(restored.inventory.kubernetes.serviceAccounts.some((s) => s.namespace === "default" && s.name === "reports")).toBe(false);
    const deployment = restored.inventory.kubernetes.controllers.find((c) => c.kind === "Deployment" && c.name === "reports")!;
    expect(deployment.templateLabels).toEqual({ app: "reports", aadpodidbinding: "reader" });
    expect(deployment.serviceAccountName ?? "default").toBe("default");
    expect(restored.findings.map((f) => f.id)).toContain(finding.id);
  });
});
