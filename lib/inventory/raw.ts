import type { SourceError } from "@/lib/model/types";
import type { ArmWireObject, KubeWireObject, WireObject } from "@/lib/tenant/types";

/**
 * Everything one scan read, still in wire shapes (ARM GET bodies, Graph directory objects,
 * Kubernetes objects). Readers in lib/azure and lib/kubernetes produce it from live APIs;
 * `rawFromTenant` produces it from a tenant file; `buildInventory` turns it into an Inventory.
 * Keeping this seam in wire shapes is what lets pure tests and the live scan share one path.
 */
export interface RawCollection {
  tenantId?: string;
  managementGroups: ArmWireObject[];
  subscriptions: WireObject[];
  resourceGroups: ArmWireObject[];
  /** Every resource seen: a full GET body where one was read, else the generic-list item (no properties). */
  resources: ArmWireObject[];
  /** Role definitions as ARM lists them (built-in and custom), wire shape with `properties.roleName`. */
  roleDefinitions: ArmWireObject[];
  roleAssignments: ArmWireObject[];
  federatedIdentityCredentials: ArmWireObject[];
  /** Graph directory objects; null when Graph could not be read (principals unresolved, not deleted). */
  principals: WireObject[] | null;
  /** Kubernetes objects per managedCluster id (as given by ARM), each with apiVersion and kind set. */
  kubernetes: Record<string, KubeWireObject[]>;
  /** Cluster ids whose Kubernetes API was read completely. */
  kubernetesRead: string[];
  errors: SourceError[];
  /** How the read went where it affects coverage (e.g. Resource Graph truncated results); copied to Inventory.notes. */
  notes?: string[];
}
