import { IdentityKind, LinkMechanism, type Cluster, type ClusterIdentityRef, type Principal, type Resource, type RoleAssignment, type UserAssignedIdentity } from "@/lib/model/types";
import { graphPrincipalType, IdentityRegistry, type IdentityFacts } from "./identity-registry";

function refFacts(ref: ClusterIdentityRef, cluster: Cluster, fallbackName: string): IdentityFacts {
  return {
    principalId: ref.principalId,
    clientId: ref.clientId,
    resourceId: ref.resourceId,
    principalType: "ServicePrincipal",
    systemAssignedTo: ref.type === "SystemAssigned" ? cluster.id : undefined,
    displayName: ref.resourceId ? ref.resourceId.split("/").pop() : ref.type === "SystemAssigned" ? cluster.name : fallbackName,
    nameFromResource: !!ref.resourceId || ref.type === "SystemAssigned",
  };
}

export interface ClassifyInput {
  userAssignedIdentities: UserAssignedIdentity[];
  resources: Resource[];
  clusters: Cluster[];
  principals: Principal[];
  principalsResolved: boolean;
  roleAssignments: RoleAssignment[];
}

/**
 * Registers every principal the ARM and Graph data name, with the AKS jobs (control plane,
 * kubelet, add-ons, managed pod-identity) recorded as uses. App uses reached through
 * Kubernetes links are added later by the binding resolver.
 */
export function classifyIdentities(input: ClassifyInput): IdentityRegistry {
  const reg = new IdentityRegistry(input.principals, input.principalsResolved);

  for (const u of input.userAssignedIdentities) {
    reg.note({ principalId: u.principalId, clientId: u.clientId, resourceId: u.id, displayName: u.name, nameFromResource: true, principalType: "ServicePrincipal" });
  }

  for (const r of input.resources) {
    const block = r.identity;
    if (!block) continue;
    // A system-assigned identity lives and dies with its resource; it carries only a principal id.
    if (block.principalId && /systemassigned/i.test(block.type)) {
      reg.note({ principalId: block.principalId, systemAssignedTo: r.id, displayName: r.name, nameFromResource: true, principalType: "ServicePrincipal" });
    }
    for (const [resourceId, v] of Object.entries(block.userAssignedIdentities ?? {})) {
      reg.note({ resourceId, principalId: v.principalId, clientId: v.clientId, displayName: resourceId.split("/").pop(), nameFromResource: true, principalType: "ServicePrincipal" });
    }
  }

  for (const c of input.clusters) {
    if (c.controlPlane) {
      const name = c.controlPlane.type === "ServicePrincipal" ? `${c.name} service principal` : c.name;
      reg.note(refFacts(c.controlPlane, c, name), { kind: IdentityKind.ControlPlane, clusterId: c.id });
    }
    if (c.kubelet) reg.note(refFacts(c.kubelet, c, `${c.name} kubelet`), { kind: IdentityKind.Kubelet, clusterId: c.id });
    for (const a of c.addons) {
      // A disabled add-on keeps no identity in practice; if ARM still reports one, it is still a principal that may hold roles.
      if (a.identity) reg.note(refFacts(a.identity, c, `${c.name} ${a.name}`), { kind: IdentityKind.Addon, clusterId: c.id, addon: a.name });
    }
    // The managed pod-identity add-on declares app identities in ARM, whether or not a pod uses them yet.
    for (const pi of c.podIdentities) {
      reg.note(refFacts(pi.identity, c, pi.name), { kind: IdentityKind.App, clusterId: c.id, mechanism: LinkMechanism.PodIdentity });
    }
    // A cluster extension's identity is an add-on's: AKS creates it for the extension's own pods.
    for (const e of c.extensions ?? []) {
      if (!e.identity?.principalId) continue;
      reg.note(
        // AKS answers aksAssignedIdentity's type null: whether a user-assigned identity resource stands behind it is ARM's or Graph's to say.
        { principalId: e.identity.principalId, principalType: "ServicePrincipal", displayName: `${e.name}-${c.name}` },
        { kind: IdentityKind.Addon, clusterId: c.id, addon: e.extensionType },
      );
    }
  }

  for (const p of input.principals) {
    reg.note({ principalId: p.id, clientId: p.appId, principalType: graphPrincipalType(p) });
  }

  for (const a of input.roleAssignments) {
    const d = reg.note({ principalId: a.principalId, principalType: a.principalType });
    if (d) reg.markAssignmentPrincipal(d);
  }
  return reg;
}
