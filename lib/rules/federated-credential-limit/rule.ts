import type { Evidence, FixStep } from "@/lib/model/findings";
import { normalizeId, resourceGroupIdOf } from "@/lib/model/scope";
import type { FederatedCredential } from "@/lib/model/types";
import { defineRule, type FindingDraft } from "../define";
import { azureName, FEDERATED_CREDENTIAL_MAX, parseServiceAccountSubject, userAssignedIdentityId } from "@/lib/rules/shared/cluster-plans";

/** Warn at 16 of the 20 credentials Azure allows per user-assigned identity (RULES.md). */
export const FEDERATED_CREDENTIAL_WARN_AT = 16;

export const rule = defineRule(
  {
    id: "federated-credential-limit",
    title: "Identity close to the federated credential limit",
    severity: "low",
    description: `Flags a user-assigned identity holding ${FEDERATED_CREDENTIAL_WARN_AT} or more of the ${FEDERATED_CREDENTIAL_MAX} federated identity credentials Azure allows per identity.`,
    rationale:
      "When the limit is reached the next cluster or ServiceAccount cannot be added; teams then share an identity across applications or fall back to secrets, both wider than needed.",
    remediation: "Split the identity per application, or consolidate the ServiceAccounts that use it.",
    references: [
      { title: "Workload identity federation: considerations and limits (20 credentials per identity)", url: "https://learn.microsoft.com/en-us/entra/workload-id/workload-identity-federation-considerations#general-federated-identity-credential-considerations" },
      { title: "Azure subscription and service limits: managed identities", url: "https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/azure-subscription-service-limits#managed-identity-limits" },
    ],
  },
  (ctx) => {
    const out: FindingDraft[] = [];
    for (const [key, fics] of ctx.index.federatedCredentialsByIdentity) {
      if (fics.length < FEDERATED_CREDENTIAL_WARN_AT) continue;
      const uai = ctx.index.userAssignedIdentityById.get(key);
      const identityId = uai?.id ?? fics[0]!.identityId;
      const identity = ctx.index.identityByResourceId.get(normalizeId(identityId));
      const name = identity?.displayName ?? uai?.name ?? identityId.split("/").pop()!;
      const evidence: Evidence[] = [
        { source: identityId, fact: `${name} has ${fics.length} federated identity credentials; Azure allows ${FEDERATED_CREDENTIAL_MAX}` },
        ...fics.map((f) => ({ source: f.id, fact: `${f.name}: ${f.subject ?? `claims matching ${f.claimsMatchingExpression}`} (issuer ${f.issuer})` })),
      ];
      out.push({
        key: [identityId],
        message: `${name} holds ${fics.length} of the ${FEDERATED_CREDENTIAL_MAX} federated credentials Azure allows per identity; only ${FEDERATED_CREDENTIAL_MAX - fics.length} more can be added.`,
        identity,
        clusterId: identity?.clusterIds[0],
        scope: identityId,
        targetIds: [identityId],
        evidence,
        fixes: [splitPlan(identityId, name, uai?.location, fics)],
        adjustSeverity: false,
      });
    }
    return out;
  },
);

/**
 * Moves the credentials of every namespace but the largest to a new identity per namespace;
 * when all are in one namespace, moves the newer half to one new identity.
 */
function splitPlan(identityId: string, name: string, location: string | undefined, fics: FederatedCredential[]) {
  const rg = resourceGroupIdOf(identityId)!;
  const byNs = new Map<string, FederatedCredential[]>();
  for (const f of fics) {
    const ns = parseServiceAccountSubject(f.subject)?.namespace ?? "(other)";
    byNs.set(ns, [...(byNs.get(ns) ?? []), f]);
  }
  const groups = [...byNs.entries()].sort(([a, x], [b, y]) => y.length - x.length || a.localeCompare(b));
  const moves: [string, FederatedCredential[]][] =
    groups.length > 1 ? groups.slice(1) : [["2", [...fics].sort((a, b) => a.name.localeCompare(b.name)).slice(Math.ceil(fics.length / 2))]];
  const steps: FixStep[] = [];
  for (const [suffix, moved] of moves) {
    const newName = azureName([name, suffix], 128);
    const newId = userAssignedIdentityId(rg, newName);
    steps.push({ kind: "create-managed-identity", resourceGroupId: rg, name: newName, location });
    steps.push({ kind: "manual", description: `Grant ${newName} the roles the workloads moving to it need (today ${name}'s roles).` });
    for (const f of moved) {
      if (!f.subject) {
        // A flexible credential is created through the preview API only; the plan says what to recreate.
        steps.push({ kind: "manual", description: `Create flexible federated credential ${f.name} on ${newName} with issuer ${f.issuer} and claims matching expression ${f.claimsMatchingExpression ?? "(unknown)"}, then delete it from ${name}.` });
        continue;
      }
      steps.push({ kind: "create-federated-credential", identityId: newId, name: f.name, issuer: f.issuer, subject: f.subject, audiences: f.audiences });
      const sa = parseServiceAccountSubject(f.subject);
      if (sa) steps.push({ kind: "manual", description: `Set azure.workload.identity/client-id on ServiceAccount ${sa.namespace}/${sa.name} to the client id of ${newId}.` });
      steps.push({ kind: "delete-federated-credential", federatedCredentialId: f.id });
    }
  }
  return { id: "split-identity", summary: `Move ${moves.reduce((n, [, m]) => n + m.length, 0)} credential(s) of ${name} to ${moves.length} new identit${moves.length === 1 ? "y" : "ies"}`, steps };
}
