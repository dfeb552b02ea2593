import { indexInventory, type InventoryIndex } from "@/lib/inventory/indexes";
import { normalizeId, roleDefinitionGuid } from "@/lib/model/scope";
import { IdentityKind, type Cluster, type Controller, type Identity, type IdentityLink, type Inventory, type RoleAssignment, type RoleDefinition } from "@/lib/model/types";
import { builtinRoleDefinitions, RoleCatalog } from "@/lib/roles/catalog";
import { matchProfile, type ProfileMatch } from "./profiles";
import { identityReach, type IdentityReach } from "./severity";

const WORKLOAD_KINDS = new Set<string>([IdentityKind.ControlPlane, IdentityKind.Kubelet, IdentityKind.Addon, IdentityKind.App]);

/** Everything a rule may read: the inventory, its indexes, the role catalog and derived facts. Pure. */
export interface RuleContext {
  inventory: Inventory;
  index: InventoryIndex;
  roles: RoleCatalog;
  /** AKS identities (control plane, kubelet, add-ons) and app identities, per RULES.md. */
  workloadIdentities: Identity[];
  isWorkloadIdentity(identity: Identity): boolean;
  identityOfPrincipal(principalId: string): Identity | undefined;
  assignmentsOf(identity: Identity): RoleAssignment[];
  roleOf(assignment: RoleAssignment): RoleDefinition | undefined;
  linksOf(identity: Identity): IdentityLink[];
  /** How widely pods reach the identity (severity adjustment), worked out once per identity. */
  reachOf(identity: Identity): IdentityReach;
  cluster(id: string | undefined): Cluster | undefined;
  /** The role-profile entry this assignment conforms to, if any (RULES.md "Role profiles"). */
  profileMatch(identity: Identity, assignment: RoleAssignment): ProfileMatch | undefined;
  /** True when the cluster runs aad-pod-identity (AzureIdentity objects, an nmi DaemonSet, or podIdentityProfile). */
  runsPodIdentity(cluster: Cluster): boolean;
}

/**
 * aad-pod-identity's Node Managed Identity DaemonSet: `nmi` in the deployment manifests,
 * `<release>-nmi` from the Helm chart (e.g. aad-pod-identity-nmi), or any DaemonSet running
 * the nmi image.
 */
export function isNmiDaemonSet(c: Controller): boolean {
  if (c.kind !== "DaemonSet") return false;
  return c.name === "nmi" || c.name.endsWith("-nmi") || c.containers.some((ct) => /aad-pod-identity\/nmi[:@]/i.test(ct.image));
}

/**
 * aad-pod-identity's Managed Identity Controller: the `mic` container or image. It reads the
 * node's azure.json by design (the cloud-provider credentials it assigns identities with).
 */
export function isMicContainer(c: { name: string; image: string }): boolean {
  return c.name === "mic" || /aad-pod-identity\/mic[:@]/i.test(c.image);
}

export function createRuleContext(inventory: Inventory, index: InventoryIndex = indexInventory(inventory)): RuleContext {
  // Built-in roles are always known, even when ARM role definitions could not be listed.
  const byGuid = new Map<string, RoleDefinition>();
  for (const r of builtinRoleDefinitions()) byGuid.set(r.name.toLowerCase(), r);
  for (const r of inventory.roleDefinitions) byGuid.set(r.name.toLowerCase(), r);
  const roles = new RoleCatalog([...byGuid.values()]);

  const isWorkloadIdentity = (i: Identity) => i.uses.some((u) => WORKLOAD_KINDS.has(u.kind));
  const podIdentityClusters = new Map<string, boolean>();
  const roleByAssignment = new Map<RoleAssignment, RoleDefinition | null>();
  const reachByIdentity = new Map<Identity, IdentityReach>();

  const ctx: RuleContext = {
    inventory,
    index,
    roles,
    workloadIdentities: inventory.identities.filter(isWorkloadIdentity),
    isWorkloadIdentity,
    identityOfPrincipal: (principalId) => index.identityByPrincipalId.get(normalizeId(principalId)),
    assignmentsOf: (identity) => (identity.principalId ? (index.assignmentsByPrincipal.get(normalizeId(identity.principalId)) ?? []) : []),
    roleOf: (assignment) => {
      // Every assignment rule asks this of every assignment: resolve each one once.
      let role = roleByAssignment.get(assignment);
      if (role === undefined) {
        role = roles.get(roleDefinitionGuid(assignment.roleDefinitionId)) ?? null;
        roleByAssignment.set(assignment, role);
      }
      return role ?? undefined;
    },
    linksOf: (identity) => index.linksByIdentity.get(normalizeId(identity.key)) ?? [],
    reachOf: (identity) => {
      let reach = reachByIdentity.get(identity);
      if (!reach) {
        reach = identityReach(identity, ctx.linksOf(identity));
        reachByIdentity.set(identity, reach);
      }
      return reach;
    },
    cluster: (id) => (id ? index.clusterById.get(normalizeId(id)) : undefined),
    profileMatch: (identity, assignment) => matchProfile(ctx, identity, assignment),
    runsPodIdentity: (cluster) => {
      const k = normalizeId(cluster.id);
      let v = podIdentityClusters.get(k);
      if (v === undefined) {
        const k8s = inventory.kubernetes;
        v =
          cluster.podIdentityEnabled ||
          k8s.azureIdentities.some((a) => normalizeId(a.clusterId) === k) ||
          k8s.controllers.some((c) => normalizeId(c.clusterId) === k && isNmiDaemonSet(c));
        podIdentityClusters.set(k, v);
      }
      return v;
    },
  };
  return ctx;
}
