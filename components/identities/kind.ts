import type { IdentityKind, LinkMechanism } from "@/lib/model/types";
import { IDENTITY_KIND_ORDER } from "@/lib/model/vocabulary";

export const linkMechanismLabels: Record<LinkMechanism, string> = {
  "aad-pod-identity": "aad-pod-identity",
  "workload-identity": "Workload identity",
  "env-client-id": "Client id in pod environment",
};

export function isIdentityKind(value: string): value is IdentityKind {
  return (IDENTITY_KIND_ORDER as readonly string[]).includes(value);
}
