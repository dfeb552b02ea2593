import { buildTestTenant, ids } from "@/emulator/testdata/tenant";
import type { KubeWireObject } from "@/lib/model/wire";
import type { TenantFile } from "@/lib/tenant/types";

const HASH = "7d9f8b6c5d";

/**
 * The emulator test tenant with workload identity enabled on aks1 and one Deployment
 * (default/reports, two pods) that still gets the payments-api identity through the
 * aad-pod-identity binding default/reader-binding: what the migration plan moves.
 */
export function buildMigrationTenant(): TenantFile {
  const tenant = buildTestTenant();
  const aks1 = tenant.resources.find((r) => r.id === ids.aks1)!;
  aks1.properties = { ...aks1.properties, securityProfile: { workloadIdentity: { enabled: true } } };
  const labels = { app: "reports", aadpodidbinding: "reader" };
  const objects: KubeWireObject[] = [
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "reports", namespace: "default", uid: "0d0d0d0d-0000-0000-0000-000000000001" },
      spec: { replicas: 2, selector: { matchLabels: { app: "reports" } }, template: { metadata: { labels }, spec: { containers: [{ name: "reports", image: "acrapp.azurecr.io/reports:1" }] } } },
    },
    {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: { name: `reports-${HASH}`, namespace: "default", labels: { ...labels, "pod-template-hash": HASH }, ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: "reports", uid: "0d0d0d0d-0000-0000-0000-000000000001", controller: true }] },
      spec: { replicas: 2 },
    },
    ...[1, 2].map(
      (i): KubeWireObject => ({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: `reports-${HASH}-p${i}abc`, namespace: "default", labels: { ...labels, "pod-template-hash": HASH }, ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: `reports-${HASH}`, controller: true }] },
        spec: { serviceAccountName: "default", containers: [{ name: "reports", image: "acrapp.azurecr.io/reports:1" }] },
      }),
    ),
  ];
  tenant.kubernetes![ids.aks1.toLowerCase()]!.push(...objects);
  return tenant;
}
