import type { ClusterExtension, ClusterIdentityRef } from "@/lib/model/types";
import { parseScopeOrFail } from "./hierarchy.adapter";
import { armReader } from "@/lib/model/wire";

const EXTENSION_TYPE = "microsoft.kubernetesconfiguration/extensions";

export function isClusterExtensionType(type: string | undefined): boolean {
  return (type ?? "").toLowerCase() === EXTENSION_TYPE;
}

/**
 * A Microsoft.KubernetesConfiguration/extensions GET body (an extension resource of a cluster)
 * → the cluster it extends and the extension. On AKS, `properties.aksAssignedIdentity` is the
 * managed identity AKS created for the extension; the top-level `identity` is the one Azure Arc
 * gives extensions of connected clusters. Either may hold Azure roles.
 */
export function adaptClusterExtension(wire: unknown): ClusterExtension & { clusterId: string } {
  const r = armReader("clusterExtension", wire);
  const id = r.reqString("id");
  const parsed = parseScopeOrFail(r, id);
  const clusterId = parsed.extendsResource;
  if (!clusterId || parsed.resourceType?.toLowerCase() !== EXTENSION_TYPE) {
    return r.fail("id", "is not <cluster id>/providers/Microsoft.KubernetesConfiguration/extensions/<name>");
  }
  const principalOf = (path: string): ClusterIdentityRef | undefined => {
    const principalId = r.optString(`${path}.principalId`);
    if (!principalId) return undefined;
    return { type: r.optString(`${path}.type`)?.toLowerCase() === "userassigned" ? "UserAssigned" : "SystemAssigned", principalId };
  };
  return {
    id,
    clusterId,
    name: r.optString("name") ?? parsed.resourceName!,
    extensionType: r.reqString("properties.extensionType"),
    identity: principalOf("properties.aksAssignedIdentity") ?? principalOf("identity"),
    releaseNamespace: r.optString("properties.scope.cluster.releaseNamespace") ?? r.optString("properties.scope.namespace.targetNamespace"),
    configurationSettings: r.stringMap("properties.configurationSettings"),
  };
}
