/**
 * The tenant file (docs/tenant-format.md, v1): every object in the wire shape the real API
 * returns. Validated by lib/tenant/schema.ts; unknown fields are kept.
 */
import type { ArmWireObject, KubeWireObject, WireObject } from "@/lib/model/wire";

/** Optional emulator-only sign-in users. */
export interface TenantUser extends WireObject {
  id: string;
  userPrincipalName: string;
  displayName: string;
  password: string;
  /** Object ids of the groups the user belongs to; their role assignments apply to the user (emulator-only). */
  memberOf?: string[];
}

export interface TenantFile {
  version: 1;
  tenantId: string;
  managementGroups?: ArmWireObject[];
  subscriptions: (WireObject & { id: string; subscriptionId: string; displayName: string; managementGroupId?: string })[];
  resourceGroups: ArmWireObject[];
  resources: ArmWireObject[];
  federatedIdentityCredentials?: ArmWireObject[];
  /** Custom role definitions only; built-in roles come from the catalog. */
  roleDefinitions?: ArmWireObject[];
  roleAssignments: ArmWireObject[];
  principals: (WireObject & { id: string })[];
  kubernetes?: Record<string, KubeWireObject[]>;
  users?: TenantUser[];
}
