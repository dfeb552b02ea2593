import { buildTestTenant, ids } from "@/emulator/testdata/tenant";
import { POD_IDENTITY_BINDING_LABEL } from "@/lib/model/kubernetes";
import type { KubeWireObject } from "@/lib/model/wire";
import { controllerWire, ownerReference, podWire } from "@/lib/tenant/builder/kube-objects";
import type { TenantFile } from "@/lib/tenant/types";

const HASH = "7d9f8b6c5d";
const DEPLOYMENT_UID = "0d0d0d0d-0000-0000-0000-000000000001";

/**
 * The emulator test tenant with workload identity enabled on aks1 and one Deployment
 * (default/reports, two pods) that still gets the payments-api identity through the
 * aad-pod-identity binding default/reader-binding: what the migration plan moves.
 */
export function buildMigrationTenant(): TenantFile {
  const tenant = buildTestTenant();
  const aks1 = tenant.resources.find((r) => r.id === ids.aks1)!;
  aks1.properties = { ...aks1.properties, securityProfile: { workloadIdentity: { enabled: true } } };
  const labels = { app: "reports", [POD_IDENTITY_BINDING_LABEL]: "reader" };
  const container = { name: "reports", image: "acrapp.azurecr.io/reports:1" };
  const rs = `reports-${HASH}`;
  const objects: KubeWireObject[] = [
    controllerWire("Deployment", { name: "reports", namespace: "default", uid: DEPLOYMENT_UID }, { replicas: 2, selector: { matchLabels: { app: "reports" } }, template: { metadata: { labels }, spec: { containers: [container] } } }),
    controllerWire("ReplicaSet", { name: rs, namespace: "default", labels: { ...labels, "pod-template-hash": HASH }, ownerReferences: [ownerReference("Deployment", "reports", DEPLOYMENT_UID)] }, { replicas: 2 }),
    ...[1, 2].map((i) =>
      podWire(
        { name: `${rs}-p${i}abc`, namespace: "default", labels: { ...labels, "pod-template-hash": HASH }, ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: rs, controller: true }] },
        { serviceAccountName: "default", containers: [container] },
      ),
    ),
  ];
  tenant.kubernetes![ids.aks1.toLowerCase()]!.push(...objects);
  return tenant;
}
