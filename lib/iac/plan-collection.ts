import { normalizeId } from "@/lib/model/scope";
import type { ArmWireObject, RawCollection, WireObject } from "@/lib/model/wire";
import { builtinCatalog, catalogRoleToWire } from "@/lib/roles/builtin-catalog";
import { subscriptionOfModel } from "./azurerm-ids";
import { wireFromModel, type WireOrigin } from "./azurerm-wire";
import type { TerraformModel } from "./terraform-model";

/** A plan's objects as one RawCollection, alone or laid over a live scan's. */
export interface PlanCollection {
  raw: RawCollection;
  /**
   * normalizeId(object id) → where it comes from, for every planned object: ARM ids (or
   * addresses, for role assignments whose id apply assigns) and the principal ids (or
   * stand-ins) of identities the plan creates.
   */
  origins: Map<string, WireOrigin>;
}

/**
 * The plan's azurerm objects in wire shapes. With `live`, they are laid over what a scan
 * read: a planned object replaces the live one with the same id, an object the plan deletes
 * is removed, identities the plan creates are listed as directory principals (apply creates
 * them, so a grant to one is not a grant to a deleted principal). Without `live`, Graph is
 * marked unread: principals are unresolved, not missing.
 */
export function collectPlan(model: TerraformModel, live?: RawCollection): PlanCollection {
  const wire = wireFromModel(model);
  const origins = new Map(wire.origins);
  for (const p of wire.plannedPrincipals) {
    const owner = [...wire.origins.values()].find((o) => p.id === o.address || p.id.startsWith(`${o.address}.`));
    if (owner) origins.set(normalizeId(p.id), owner);
  }
  const file = model.source.file;
  const changed = model.instances.filter((i) => i.mode === "managed" && i.actions.some((a) => a !== "no-op" && a !== "read")).length;
  const note = `Terraform plan ${file}: ${wire.origins.size} planned azurerm object(s) evaluated (${changed} changed, ${model.deleted.length} deleted)`;
  if (!live) {
    const sub = subscriptionOfModel(model);
    return {
      origins,
      raw: {
        managementGroups: [],
        subscriptions: [],
        resourceGroups: wire.resourceGroups,
        resources: wire.resources,
        roleDefinitions: builtinCatalog.map((r) => catalogRoleToWire(r, sub ? `/subscriptions/${sub}` : "")),
        roleAssignments: wire.roleAssignments,
        federatedIdentityCredentials: wire.federatedIdentityCredentials,
        principals: null,
        kubernetes: {},
        kubernetesRead: [],
        errors: wire.errors,
        notes: [note],
      },
    };
  }
  const removed = new Set(model.deleted.map((d) => d.values.id).filter((id): id is string => typeof id === "string").map(normalizeId));
  // Managed objects replace their live counterparts; what the plan only reads (data sources) fills gaps.
  const lay = (liveItems: ArmWireObject[], planned: ArmWireObject[]) => {
    const replaced = new Set(planned.filter((w) => wire.origins.has(normalizeId(w.id))).map((w) => normalizeId(w.id)));
    const kept = liveItems.filter((w) => typeof w.id !== "string" || (!replaced.has(normalizeId(w.id)) && !removed.has(normalizeId(w.id))));
    const present = new Set(kept.map((w) => (typeof w.id === "string" ? normalizeId(w.id) : "")));
    return [...kept, ...planned.filter((w) => replaced.has(normalizeId(w.id)) || !present.has(normalizeId(w.id)))];
  };
  const known = new Set((live.principals ?? []).map((p) => (typeof p.id === "string" ? normalizeId(p.id) : "")));
  const principals: WireObject[] | null =
    live.principals === null
      ? null
      : [
          ...live.principals,
          ...wire.plannedPrincipals
            .filter((p) => !known.has(normalizeId(p.id)))
            .map((p) => ({ "@odata.type": "#microsoft.graph.servicePrincipal", id: p.id, displayName: p.displayName, servicePrincipalType: "ManagedIdentity" })),
        ];
  return {
    origins,
    raw: {
      ...live,
      resourceGroups: lay(live.resourceGroups, wire.resourceGroups),
      resources: lay(live.resources, wire.resources),
      roleAssignments: lay(live.roleAssignments, wire.roleAssignments),
      federatedIdentityCredentials: lay(live.federatedIdentityCredentials, wire.federatedIdentityCredentials),
      principals,
      errors: [...live.errors, ...wire.errors],
      notes: [...(live.notes ?? []), note],
    },
  };
}
