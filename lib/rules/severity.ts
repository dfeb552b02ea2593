import { SEVERITY_ORDER, type Severity } from "@/lib/model/findings";
import { IdentityKind, type Identity, type IdentityLink } from "@/lib/model/types";

/** Pods in at least this many namespaces reaching one identity count as "many" (RULES.md severity adjustment). */
export const MANY_NAMESPACES = 3;

function step(severity: Severity, delta: number): Severity {
  const i = SEVERITY_ORDER.indexOf(severity);
  const j = Math.min(SEVERITY_ORDER.length - 1, Math.max(0, i - delta));
  return SEVERITY_ORDER[j]!;
}

/** What the severity adjustment reads of an identity: the same for every finding about it. */
export interface IdentityReach {
  kubelet: boolean;
  /** Distinct cluster namespaces whose running pods reach the identity. */
  podNamespaces: number;
}

export function identityReach(identity: Identity, links: readonly IdentityLink[]): IdentityReach {
  if (identity.uses.some((u) => u.kind === IdentityKind.Kubelet)) return { kubelet: true, podNamespaces: 0 };
  const namespaces = new Set(links.filter((l) => l.podIds.length > 0).map((l) => `${l.clusterId.toLowerCase()}|${l.namespace}`));
  return { kubelet: false, podNamespaces: namespaces.size };
}

export interface SeverityDecision {
  severity: Severity;
  reason?: string;
}

/**
 * RULES.md: raised one step when the identity is reachable by many pods (the kubelet identity,
 * or bindings used by pods in many namespaces), lowered one step when the scope is a single
 * resource. Both can apply and cancel out; the reason names each.
 */
export function adjustSeverity(
  base: Severity,
  facts: { identity?: Identity; links?: readonly IdentityLink[]; reach?: IdentityReach; scopeIsSingleResource: boolean },
): SeverityDecision {
  const reasons: string[] = [];
  let delta = 0;
  const identity = facts.identity;
  if (identity) {
    const reach = facts.reach ?? identityReach(identity, facts.links ?? []);
    if (reach.kubelet) {
      delta += 1;
      reasons.push("raised: the kubelet identity is reachable from every pod on the cluster's nodes");
    } else if (reach.podNamespaces >= MANY_NAMESPACES) {
      delta += 1;
      reasons.push(`raised: pods in ${reach.podNamespaces} namespaces can act as this identity`);
    }
  }
  if (facts.scopeIsSingleResource) {
    delta -= 1;
    reasons.push("lowered: the scope is a single resource");
  }
  const severity = step(base, delta);
  if (reasons.length === 0) return { severity };
  return { severity, reason: reasons.join("; ") };
}
