import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import type { KubeWireObject } from "@/lib/model/wire";
import type { TenantFile } from "@/lib/tenant/types";
import type { EmulatorHandle } from "../server";
import { call } from "./http-client";
import { buildTestTenant, ids, T } from "./tenant";

/**
 * The RBAC scenario: aks2 with Entra integration, and users who each hold exactly one kind of
 * right on it (nothing; the aadProfile admin group; the scopewise-reader ClusterRole of
 * deploy/kubernetes through a group; the built-in view role; view in one namespace; Azure
 * Kubernetes Service RBAC Reader as an Azure role assignment).
 */
const ADMINS = "aaaaaaaa-0000-0000-0000-0000000000a1";
const READERS = "aaaaaaaa-0000-0000-0000-0000000000a2";
const AKS_RBAC_READER = "7f6c6a51-bcf8-42ba-9220-52d62157d7db";
const person = (n: number, name: string, memberOf?: string[]) => ({
  id: `eeeeeeee-0000-0000-0000-0000000000${String(n).padStart(2, "0")}`,
  userPrincipalName: `${name}@scopewise.test`,
  displayName: name,
  password: "pw",
  ...(memberOf ? { memberOf } : {}),
});
export const users = {
  nora: person(10, "nora"),
  ada: person(11, "ada", [ADMINS]),
  rita: person(12, "rita", [READERS]),
  victor: person(13, "victor"),
  pat: person(14, "pat"),
  azure: person(15, "azure-reader"),
};

/** The ClusterRole the repo documents as the least a scan needs. */
export const readerRole = parseYaml(readFileSync("deploy/kubernetes/scopewise-reader.yaml", "utf8")) as KubeWireObject;

function rbacObjects(): KubeWireObject[] {
  return [
    readerRole,
    { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: { name: "scopewise-reader" }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "scopewise-reader" }, subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: READERS }] },
    { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: { name: "victor-view" }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" }, subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: users.victor.userPrincipalName }] },
    { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name: "pat-view", namespace: "payments" }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" }, subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: users.pat.userPrincipalName }] },
  ];
}

/** aks2 with Entra integration, with or without Azure RBAC and the aad-pod-identity CRDs. */
export function rbacTenant(options: { azureRbac: boolean; podIdentity: boolean }): TenantFile {
  const t = buildTestTenant();
  const aks2 = t.resources.find((r) => r.id === ids.aks2)!;
  aks2.properties = { ...aks2.properties, aadProfile: { managed: true, enableAzureRBAC: options.azureRbac, adminGroupObjectIDs: [ADMINS], tenantID: T.tenantId } };
  t.users = Object.values(users);
  t.roleAssignments.push({
    id: `${ids.aks2}/providers/Microsoft.Authorization/roleAssignments/bbbbbbbb-0000-0000-0000-0000000000c1`,
    name: "bbbbbbbb-0000-0000-0000-0000000000c1",
    type: "Microsoft.Authorization/roleAssignments",
    properties: { roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${AKS_RBAC_READER}`, principalId: users.azure.id, principalType: "User", scope: ids.aks2 },
  });
  const objects = t.kubernetes![ids.aks2]!;
  objects.push({ apiVersion: "v1", kind: "Namespace", metadata: { name: "payments" } }, { apiVersion: "v1", kind: "Pod", metadata: { name: "api-x", namespace: "payments" }, spec: { containers: [] } }, ...rbacObjects());
  if (options.podIdentity) {
    objects.push({ apiVersion: "aadpodidentity.k8s.io/v1", kind: "AzureIdentity", metadata: { name: "reader", namespace: "default" }, spec: { type: 0, resourceID: ids.appIdentity, clientID: "cccccccc-0000-0000-0000-000000000002" } });
  }
  return t;
}

/** A delegated token for the AKS server app, as kubelogin gets one. */
export async function kubeToken(h: EmulatorHandle, user: { userPrincipalName: string }): Promise<string> {
  const body = new URLSearchParams({ grant_type: "password", client_id: h.clients[0]!.clientId, client_secret: h.clients[0]!.clientSecret, username: user.userPrincipalName, password: "pw", scope: "6dae42f8-4368-4678-94ff-3960e28e3630/.default" });
  const res = await call(h, "POST", `/${T.tenantId}/oauth2/v2.0/token`, { body: body.toString(), headers: { "content-type": "application/x-www-form-urlencoded" } });
  return res.json.access_token as string;
}
