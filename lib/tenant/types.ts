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
  /** Resources (app ids or URIs) the user consented to; read only when the tenant has a `consent` block (emulator-only). */
  consentedResources?: string[];
}

/**
 * Emulator-only consent model. Without it every user may get a token for any resource. With
 * it, the AKS server app (6dae42f8-4368-4678-94ff-3960e28e3630) and `required` resources need
 * the user's consent (`users[].consentedResources`) or an admin's (`adminConsented`), else
 * Entra's AADSTS65001; `interactionRequired` resources refuse silent (refresh token) requests
 * with interaction_required, as MFA or Conditional Access on them would.
 */
export interface TenantConsent {
  required?: string[];
  adminConsented?: string[];
  interactionRequired?: string[];
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
  consent?: TenantConsent;
}
