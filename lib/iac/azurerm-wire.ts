import type { SourceError } from "@/lib/model/types";
import type { ArmWireObject, WireObject } from "@/lib/model/wire";
import { normalizeId } from "@/lib/model/scope";
import { RoleCatalog } from "@/lib/roles/catalog";
import { armIdOf, str, subscriptionOfModel, AZURERM_ARM_TYPES } from "./azurerm-ids";
import { clusterWire } from "./azurerm-cluster";
import type { ModelInstance, TerraformModel } from "./terraform-model";

/** Where a wire object came from: the Terraform instance address and what the plan does to it. */
export interface WireOrigin {
  address: string;
  type: string;
  actions: string[];
}

/** The azurerm resources of a plan or state in the wire shapes `buildInventory` reads. */
export interface TerraformWire {
  resourceGroups: ArmWireObject[];
  resources: ArmWireObject[];
  roleAssignments: ArmWireObject[];
  federatedIdentityCredentials: ArmWireObject[];
  /** normalizeId(wire id) → origin, for every wire object above. */
  origins: Map<string, WireOrigin>;
  /** Principal ids (or stand-ins) of identities the plan creates: they exist once it is applied. */
  plannedPrincipals: { id: string; displayName: string }[];
  /** Objects that could not be mapped (a scope or role unknown until apply): reported, never dropped silently. */
  errors: SourceError[];
}

const SOURCE = "terraform:plan";

/** Maps every supported azurerm instance of `model`; ids of objects not yet created are predicted (azurerm-ids.ts) or stand-ins. */
export function wireFromModel(model: TerraformModel): TerraformWire {
  const out: TerraformWire = { resourceGroups: [], resources: [], roleAssignments: [], federatedIdentityCredentials: [], origins: new Map(), plannedPrincipals: [], errors: [] };
  const subscription = subscriptionOfModel(model);
  const source = model.source.kind === "plan" ? SOURCE : "terraform:state";
  const fail = (inst: ModelInstance, what: string) =>
    out.errors.push({ source, code: "iac-unresolved", message: `${inst.address} (${model.source.file}): ${what}; it is left out of the evaluation` });
  const origin = (id: string, inst: ModelInstance) => out.origins.set(normalizeId(id), { address: inst.address, type: inst.type, actions: inst.actions });
  // A reference to a resource's `id` that only apply will know resolves to a stand-in ending in ".id": use the predicted ARM id.
  const armValue = (v: unknown): string | undefined => {
    const s = str(v);
    if (!s || s.startsWith("/")) return s;
    const target = s.endsWith(".id") ? model.get(s.slice(0, -3)) : undefined;
    if (target) return armIdOf(model, target, subscription);
    // azurerm's `node_resource_group_id` of a new cluster: the node resource group it will create.
    const cluster = s.endsWith(".node_resource_group_id") ? model.get(s.slice(0, -".node_resource_group_id".length)) : undefined;
    const clusterId = cluster ? armIdOf(model, cluster, subscription) : undefined;
    if (!cluster || !clusterId) return undefined;
    const nodeRg = str((clusterWire(model, cluster, clusterId, () => undefined, () => undefined).properties as WireObject).nodeResourceGroup);
    return nodeRg ? `/subscriptions/${clusterId.split("/")[2]}/resourceGroups/${nodeRg}` : undefined;
  };
  const catalog = RoleCatalog.withBuiltins();

  const identities = new Map<string, { principalId?: string; clientId?: string }>();
  const managed = model.instances.filter((i) => i.mode === "managed");
  for (const inst of model.instances) {
    const id = armIdOf(model, inst, subscription);
    if (!id) continue;
    if (inst.type === "azurerm_resource_group") {
      out.resourceGroups.push({ id, name: str(model.resolve(inst, ["name"])) ?? inst.name, location: str(model.known(inst, ["location"])), properties: {} });
      origin(id, inst);
    } else if (inst.type === "azurerm_user_assigned_identity") {
      const principalId = str(model.resolve(inst, ["principal_id"]));
      const clientId = str(model.resolve(inst, ["client_id"]));
      identities.set(normalizeId(id), { principalId, clientId });
      if (inst.mode === "managed") {
        out.resources.push({ id, name: str(model.resolve(inst, ["name"])), type: AZURERM_ARM_TYPES[inst.type], location: str(model.known(inst, ["location"])), properties: { principalId, clientId, tenantId: str(model.known(inst, ["tenant_id"])) } });
        origin(id, inst);
        if (principalId && !isGuid(principalId)) out.plannedPrincipals.push({ id: principalId, displayName: str(model.resolve(inst, ["name"])) ?? inst.address });
      }
    } else if (inst.type !== "azurerm_kubernetes_cluster" && AZURERM_ARM_TYPES[inst.type]) {
      out.resources.push({ id, name: str(model.resolve(inst, ["name"])), type: AZURERM_ARM_TYPES[inst.type], location: str(model.known(inst, ["location"])) });
      if (inst.mode === "managed") origin(id, inst);
    }
  }

  for (const inst of managed) {
    if (inst.type === "azurerm_kubernetes_cluster") {
      const id = armIdOf(model, inst, subscription);
      if (!id) {
        fail(inst, "its ARM id is unknown until apply (no subscription or resource group name in the plan)");
        continue;
      }
      const wire = clusterWire(model, inst, id, armValue, (rid) => identities.get(normalizeId(rid)));
      out.resources.push(wire);
      origin(id, inst);
      for (const p of clusterPrincipals(wire)) if (!isGuid(p)) out.plannedPrincipals.push({ id: p, displayName: `${wire.name} (${inst.address})` });
    } else if (inst.type === "azurerm_kubernetes_cluster_extension") {
      const clusterId = armValue(model.resolve(inst, ["cluster_id"]));
      const name = str(model.resolve(inst, ["name"]));
      if (!clusterId || !name) {
        fail(inst, "cluster_id or name is unknown until apply");
        continue;
      }
      const id = str(model.known(inst, ["id"])) ?? `${clusterId}/providers/Microsoft.KubernetesConfiguration/extensions/${name}`;
      const principalId = str(model.resolve(inst, ["aks_assigned_identity", 0, "principal_id"]));
      out.resources.push({ id, name, type: "Microsoft.KubernetesConfiguration/extensions", properties: { extensionType: str(model.resolve(inst, ["extension_type"])) }, ...(principalId ? { identity: { type: "SystemAssigned", principalId } } : {}) });
      origin(id, inst);
      if (principalId && !isGuid(principalId)) out.plannedPrincipals.push({ id: principalId, displayName: `${name} extension (${inst.address})` });
    } else if (inst.type === "azurerm_federated_identity_credential") {
      const parent = armValue(model.resolve(inst, ["parent_id"]));
      const name = str(model.resolve(inst, ["name"]));
      if (!parent || !name) {
        fail(inst, "parent_id or name is unknown until apply");
        continue;
      }
      const id = str(model.known(inst, ["id"])) ?? `${parent}/federatedIdentityCredentials/${name}`;
      const audience = model.resolve(inst, ["audience"]);
      out.federatedIdentityCredentials.push({
        id,
        name,
        type: "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials",
        properties: { issuer: str(model.resolve(inst, ["issuer"])), subject: str(model.resolve(inst, ["subject"])), audiences: Array.isArray(audience) ? audience.filter((a) => typeof a === "string") : [] },
      });
      origin(id, inst);
    } else if (inst.type === "azurerm_role_assignment") {
      const wire = roleAssignmentWire(model, inst, armValue, catalog, subscription);
      if (typeof wire === "string") {
        fail(inst, wire);
        continue;
      }
      out.roleAssignments.push(wire);
      origin(wire.id, inst);
    }
  }
  return out;
}

function roleAssignmentWire(
  model: TerraformModel,
  inst: ModelInstance,
  armValue: (v: unknown) => string | undefined,
  catalog: RoleCatalog,
  subscription: string | undefined,
): ArmWireObject | string {
  const scope = armValue(model.resolve(inst, ["scope"]));
  if (!scope) return "its scope is unknown until apply";
  const byId = str(model.resolve(inst, ["role_definition_id"]));
  const byName = str(model.resolve(inst, ["role_definition_name"]));
  const role = byId?.startsWith("/") ? catalog.get(byId) : byName ? catalog.getByName(byName) : undefined;
  let roleDefinitionId = byId?.startsWith("/") ? byId : undefined;
  if (!roleDefinitionId && role) {
    const sub = /^\/subscriptions\/([^/]+)/i.exec(scope)?.[1] ?? subscription;
    roleDefinitionId = sub ? `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${role.name}` : role.id;
  }
  if (!roleDefinitionId) return byName ? `role_definition_name "${byName}" is not a built-in role` : "its role definition is unknown until apply";
  const principalId = str(model.resolve(inst, ["principal_id"]));
  if (!principalId) return "its principal_id is not set";
  const name = str(model.known(inst, ["name"]));
  const id = str(model.known(inst, ["id"])) ?? (name && isGuid(name) ? `${scope.replace(/\/$/, "")}/providers/Microsoft.Authorization/roleAssignments/${name}` : inst.address);
  const properties: WireObject = {
    scope,
    roleDefinitionId,
    principalId,
    // A stand-in principal is an identity the plan creates: a managed identity's service principal.
    principalType: str(model.known(inst, ["principal_type"])) ?? (isGuid(principalId) ? undefined : "ServicePrincipal"),
    condition: str(model.known(inst, ["condition"])),
    conditionVersion: str(model.known(inst, ["condition_version"])),
    description: str(model.known(inst, ["description"])),
  };
  return { id, name: name ?? inst.address, type: "Microsoft.Authorization/roleAssignments", properties };
}

function clusterPrincipals(wire: ArmWireObject): string[] {
  const ids: unknown[] = [(wire.identity as WireObject | undefined)?.principalId];
  const uai = (wire.identity as WireObject | undefined)?.userAssignedIdentities;
  if (uai && typeof uai === "object") for (const v of Object.values(uai)) ids.push((v as WireObject).principalId);
  const p = wire.properties as WireObject;
  ids.push(((p.identityProfile as WireObject | undefined)?.kubeletidentity as WireObject | undefined)?.objectId);
  for (const a of Object.values((p.addonProfiles as WireObject) ?? {})) ids.push(((a as WireObject).identity as WireObject | undefined)?.objectId);
  return ids.filter((x): x is string => typeof x === "string" && x !== "");
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(s: string): boolean {
  return GUID.test(s);
}
