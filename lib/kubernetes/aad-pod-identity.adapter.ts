import type { AzureIdentity, AzureIdentityBinding } from "@/lib/model/types";
import type { FieldReader } from "@/lib/model/wire";
import { adaptMeta, kubeReader } from "./meta.adapter";

/**
 * First present spelling of a field. The CRD's canonical JSON names are `resourceID` /
 * `clientID`; releases before 1.6 documented `ResourceID` / `ClientID`, and hand-written
 * manifests often use `resourceId` / `clientId`.
 */
function firstString(r: FieldReader, paths: string[]): string | undefined {
  for (const p of paths) {
    const v = r.optString(p);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** aadpodidentity.k8s.io/v1 AzureIdentity. type 0 = user-assigned MSI, 1 = service principal secret, 2 = certificate. */
export function adaptAzureIdentity(wire: unknown, clusterId: string): AzureIdentity {
  const r = kubeReader("AzureIdentity", wire, clusterId);
  const meta = adaptMeta(r, clusterId);
  const type = r.optNumber("spec.type") ?? r.optNumber("spec.Type") ?? 0;
  if (![0, 1, 2].includes(type)) r.fail("spec.type", `must be 0, 1 or 2, got ${type}`);
  return {
    ...meta,
    type,
    resourceId: firstString(r, ["spec.resourceID", "spec.ResourceID", "spec.resourceId"]),
    clientId: firstString(r, ["spec.clientID", "spec.ClientID", "spec.clientId"]),
  };
}

export function adaptAzureIdentityBinding(wire: unknown, clusterId: string): AzureIdentityBinding {
  const r = kubeReader("AzureIdentityBinding", wire, clusterId);
  const meta = adaptMeta(r, clusterId);
  const azureIdentity = firstString(r, ["spec.azureIdentity", "spec.AzureIdentity"]) ?? r.fail("spec.azureIdentity", "is missing");
  const selector = firstString(r, ["spec.selector", "spec.Selector"]) ?? r.fail("spec.selector", "is missing");
  return { ...meta, azureIdentity, selector };
}
