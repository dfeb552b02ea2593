/**
 * The tenant file (shared/TENANT-FORMAT.md, v1): every object in the wire shape the real API
 * returns. Validated by lib/tenant/schema.ts; unknown fields are kept.
 */
export type WireObject = Record<string, unknown>;

/** An ARM object in its GET shape: id, name, type, and usually location / properties / identity. */
export interface ArmWireObject extends WireObject {
  id: string;
  name?: string;
  type?: string;
  properties?: Record<string, unknown>;
}

/** A Kubernetes object as the API server returns it. */
export interface KubeWireObject extends WireObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
}

/** Optional emulator-only sign-in users (issue: sign-in). */
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
