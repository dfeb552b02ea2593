import { lastSegment } from "@/lib/model/scope";
import type { ArmWireObject } from "@/lib/model/wire";
import type { IdentityRef } from "./identities";
import type { TenantBuilder } from "./tenant-builder";

/**
 * Cluster extensions (Microsoft.KubernetesConfiguration/extensions): extension resources of a
 * cluster, in the GET shape of the extensions API (2024-11-01, GetExtension example): the id is
 * `<cluster id>/providers/Microsoft.KubernetesConfiguration/extensions/<name>`; on AKS the
 * identity AKS creates for the extension is `properties.aksAssignedIdentity`.
 */
export const CLUSTER_EXTENSION_TYPE = "Microsoft.KubernetesConfiguration/extensions";

export interface ClusterExtensionSpec {
  clusterId: string;
  name: string;
  /** As the publisher registered it: `microsoft.flux`, `microsoft.dataprotection.kubernetes`. */
  extensionType: string;
  releaseNamespace: string;
  version: string;
  configurationSettings?: Record<string, string>;
  /** The identity AKS created for it (`aksAssignedIdentity`: AKS answers its tenantId and type null). */
  identity?: { principalId: string };
  created: { at: string; by: string };
}

export function clusterExtensionIdOf(clusterId: string, name: string): string {
  return `${clusterId}/providers/${CLUSTER_EXTENSION_TYPE}/${name}`;
}

export function clusterExtensionWire(s: ClusterExtensionSpec): ArmWireObject & { id: string } {
  return {
    id: clusterExtensionIdOf(s.clusterId, s.name),
    name: s.name,
    type: CLUSTER_EXTENSION_TYPE,
    systemData: { createdBy: s.created.by, createdByType: "User", createdAt: s.created.at, lastModifiedBy: s.created.by, lastModifiedByType: "User", lastModifiedAt: s.created.at },
    properties: {
      extensionType: s.extensionType,
      autoUpgradeMinorVersion: true,
      releaseTrain: "Stable",
      version: null,
      scope: { cluster: { releaseNamespace: s.releaseNamespace } },
      configurationSettings: s.configurationSettings ?? {},
      configurationProtectedSettings: {},
      provisioningState: "Succeeded",
      currentVersion: s.version,
      statuses: [],
      isSystemExtension: false,
      ...(s.identity ? { aksAssignedIdentity: { principalId: s.identity.principalId, tenantId: null, type: null } } : {}),
    },
  };
}

/**
 * Adds a cluster extension to the tenant; with `identity`, the managed identity AKS created for
 * it: "SystemAssigned" (a directory object tied to the extension) or a user-assigned identity.
 */
export function addClusterExtension(
  b: TenantBuilder,
  spec: Omit<ClusterExtensionSpec, "created" | "identity"> & { identity?: "SystemAssigned" | IdentityRef },
): ArmWireObject & { id: string } {
  const id = clusterExtensionIdOf(spec.clusterId, spec.name);
  const identity =
    spec.identity === undefined
      ? undefined
      : spec.identity === "SystemAssigned"
        ? { principalId: b.systemAssignedIdentity(id, `${spec.name}-${lastSegment(spec.clusterId)}`).principalId }
        : { principalId: spec.identity.principalId };
  const wire = clusterExtensionWire({ ...spec, identity, created: { at: b.clock(), by: b.ids.guid("user:platform-bootstrap") } });
  b.tenant.resources.push(wire);
  return wire;
}
