import { describe, expect, it } from "vitest";
import type { Operation, OperationKind } from "../types";
import type { OperationHandlers } from "./handler";
import { inverseOperation, isDeleteOperation, operationHandlers, operationTarget } from "./index";

const RG = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg";
const IDENTITY = `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-app`;
const CLUSTER = `${RG}/providers/Microsoft.ContainerService/managedClusters/aks`;
const ROLE = "/subscriptions/11111111-1111-1111-1111-111111111111/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d";
const NAME = "0b7f3c2e-1111-4222-8333-944445555666";
const trust = { issuer: "https://oidc.example/", subject: "system:serviceaccount:ns:sa", audiences: ["api://AzureADTokenExchange"] };

/** One operation of every kind, with what its write found before (for the inverse). */
const samples: { [K in OperationKind]: { op: Extract<Operation, { op: K }>; before?: unknown } } = {
  "create-role-assignment": { op: { op: "create-role-assignment", scope: RG, name: NAME, roleDefinitionId: ROLE, principalId: "p1", principalType: "ServicePrincipal", roleName: "AcrPull" } },
  "delete-role-assignment": {
    op: { op: "delete-role-assignment", id: `${RG}/providers/Microsoft.Authorization/roleAssignments/${NAME}`, expected: { roleDefinitionId: ROLE, principalId: "p1", scope: RG } },
    before: { scope: RG, roleDefinitionId: ROLE, principalId: "p1", principalType: "ServicePrincipal" },
  },
  "create-federated-credential": { op: { op: "create-federated-credential", identityId: IDENTITY, name: "fic", ...trust } },
  "delete-federated-credential": { op: { op: "delete-federated-credential", id: `${IDENTITY}/federatedIdentityCredentials/fic` }, before: { name: "fic", ...trust } },
  "create-app-federated-credential": { op: { op: "create-app-federated-credential", appId: "app-1", name: "fic", ...trust } },
  "delete-app-federated-credential": { op: { op: "delete-app-federated-credential", appId: "app-1", name: "fic" }, before: { id: "x", name: "fic", ...trust } },
  "create-managed-identity": { op: { op: "create-managed-identity", resourceGroupId: RG, name: "id-app", location: "westeurope" } },
  "delete-managed-identity": { op: { op: "delete-managed-identity", id: IDENTITY }, before: { location: "westeurope", tags: { team: "a" } } },
  "kubernetes-apply": { op: { op: "kubernetes-apply", clusterId: CLUSTER, manifest: { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "sa", namespace: "ns" } } } },
  "kubernetes-delete": {
    op: { op: "kubernetes-delete", clusterId: CLUSTER, apiVersion: "aadpodidentity.k8s.io/v1", kind: "AzureIdentityBinding", namespace: "ns", name: "b" },
    before: { apiVersion: "aadpodidentity.k8s.io/v1", kind: "AzureIdentityBinding", metadata: { name: "b", namespace: "ns", uid: "u1", resourceVersion: "7" }, spec: { selector: "x" } },
  },
};

describe("the operations table", () => {
  it("has one handler per kind: a table without one does not typecheck", () => {
    const { "kubernetes-delete": _left, ...partial } = operationHandlers;
    // @ts-expect-error a kind without a handler
    const incomplete: OperationHandlers = partial;
    expect(Object.keys(incomplete)).toHaveLength(9);
    expect(Object.keys(operationHandlers).sort()).toEqual(Object.keys(samples).sort());
  });

  it("reverses every kind onto the object it wrote: a creation by a deletion, a deletion by a creation", () => {
    for (const { op, before } of Object.values(samples)) {
      const inverse = inverseOperation(op, { before })!;
      expect(operationTarget(inverse), op.op).toBe(operationTarget(op));
      expect(isDeleteOperation(inverse), op.op).toBe(!isDeleteOperation(op) && before === undefined);
    }
  });

  it("names what each kind writes: ARM ids, the Graph path of an app credential, cluster/namespace/kind/name", () => {
    expect(operationTarget(samples["create-role-assignment"].op)).toBe(`${RG}/providers/Microsoft.Authorization/roleAssignments/${NAME}`);
    expect(operationTarget(samples["create-managed-identity"].op)).toBe(IDENTITY);
    expect(operationTarget(samples["create-app-federated-credential"].op)).toBe("/applications(appId='app-1')/federatedIdentityCredentials/fic");
    expect(operationTarget(samples["kubernetes-apply"].op)).toBe(`${CLUSTER}/namespaces/ns/ServiceAccount/sa`);
  });

  it("reverses nothing a step left as it was, and recreates a deleted object without its server fields", () => {
    expect(inverseOperation(samples["create-role-assignment"].op, { noop: true })).toBeUndefined();
    const recreated = inverseOperation(samples["kubernetes-delete"].op, { before: samples["kubernetes-delete"].before }) as Extract<Operation, { op: "kubernetes-apply" }>;
    expect(recreated.manifest).toEqual({ apiVersion: "aadpodidentity.k8s.io/v1", kind: "AzureIdentityBinding", metadata: { name: "b", namespace: "ns" }, spec: { selector: "x" } });
    const restored = inverseOperation(samples["delete-role-assignment"].op, { before: samples["delete-role-assignment"].before });
    expect(restored).toMatchObject({ op: "create-role-assignment", name: NAME, scope: RG, principalId: "p1" });
  });
});
