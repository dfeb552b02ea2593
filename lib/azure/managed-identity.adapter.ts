import type { FederatedCredential, UserAssignedIdentity } from "@/lib/model/types";
import { parseScopeOrFail } from "./hierarchy.adapter";
import { armReader } from "@/lib/model/wire";

const UAI_TYPE = "microsoft.managedidentity/userassignedidentities";
const FIC_SEGMENT = /\/federatedIdentityCredentials\/[^/]+\/?$/i;

export function isUserAssignedIdentityType(type: string | undefined): boolean {
  return (type ?? "").toLowerCase() === UAI_TYPE;
}

/** Microsoft.ManagedIdentity/userAssignedIdentities GET body. clientId and principalId are required: they are what the identity is. */
export function adaptUserAssignedIdentity(wire: unknown): UserAssignedIdentity {
  const r = armReader("userAssignedIdentity", wire);
  const id = r.reqString("id");
  const parsed = parseScopeOrFail(r, id);
  if (parsed.level !== "resource" || parsed.resourceType?.toLowerCase() !== UAI_TYPE) {
    r.fail("id", "is not a Microsoft.ManagedIdentity/userAssignedIdentities id");
  }
  return {
    id,
    name: r.optString("name") ?? parsed.resourceName!,
    subscriptionId: parsed.subscriptionId!,
    resourceGroup: parsed.resourceGroup!,
    location: r.optString("location"),
    clientId: r.reqString("properties.clientId"),
    principalId: r.reqString("properties.principalId"),
    tenantId: r.optString("properties.tenantId"),
  };
}

/** userAssignedIdentities/<id>/federatedIdentityCredentials/<name> GET body. */
export function adaptFederatedCredential(wire: unknown): FederatedCredential {
  const r = armReader("federatedIdentityCredential", wire);
  const id = r.reqString("id");
  if (!FIC_SEGMENT.test(id)) r.fail("id", "does not end in /federatedIdentityCredentials/<name>");
  const identityId = id.replace(FIC_SEGMENT, "");
  const parsed = parseScopeOrFail(r, identityId);
  if (parsed.resourceType?.toLowerCase() !== UAI_TYPE) r.fail("id", "is not under a userAssignedIdentities resource");
  // A flexible credential (API 2025-01-31-preview and later) trusts claims matching an
  // expression instead of one subject; a credential needs one of the two.
  const subject = r.optString("properties.subject");
  const claimsMatchingExpression = r.optString("properties.claimsMatchingExpression.value");
  if (!subject && !claimsMatchingExpression) r.fail("properties.subject", "is missing (and no properties.claimsMatchingExpression.value either)");
  return {
    id,
    name: r.optString("name") ?? parsed.resourceName!,
    identityId,
    issuer: r.reqString("properties.issuer"),
    ...(subject ? { subject } : {}),
    ...(claimsMatchingExpression ? { claimsMatchingExpression } : {}),
    audiences: r.stringArray("properties.audiences"),
  };
}
