import type { Rule } from "./define";
import { rule as acrScopeTooBroad } from "./acr-scope-too-broad/rule";
import { rule as acrWriteOnKubelet } from "./acr-write-on-kubelet/rule";
import { rule as aksIdentityExtraRole } from "./aks-identity-extra-role/rule";
import { rule as broadRoleOnWorkloadIdentity } from "./broad-role-on-workload-identity/rule";
import { rule as customRoleWildcard } from "./custom-role-wildcard/rule";
import { rule as dataRoleBroaderThanNeeded } from "./data-role-broader-than-needed/rule";
import { rule as dataRoleScopeTooBroad } from "./data-role-scope-too-broad/rule";
import { rule as dnsRoleScopeTooBroad } from "./dns-role-scope-too-broad/rule";
import { rule as identityEscalationPath } from "./identity-escalation-path/rule";
import { rule as kubeletIdentityExtraRole } from "./kubelet-identity-extra-role/rule";
import { rule as networkRoleScopeTooBroad } from "./network-role-scope-too-broad/rule";
import { rule as podIdentityRolesTooBroad } from "./pod-identity-roles-too-broad/rule";
import { rule as podIdentityRolesUnused } from "./pod-identity-roles-unused/rule";
import { rule as privilegedRoleOnWorkloadIdentity } from "./privileged-role-on-workload-identity/rule";
import { rule as subscriptionScopeGrant } from "./subscription-scope-grant/rule";

/** Rules of the "assignments" group, in RULES.md order. */
export const assignmentRules: Rule[] = [
  privilegedRoleOnWorkloadIdentity,
  broadRoleOnWorkloadIdentity,
  subscriptionScopeGrant,
  kubeletIdentityExtraRole,
  aksIdentityExtraRole,
  acrScopeTooBroad,
  acrWriteOnKubelet,
  networkRoleScopeTooBroad,
  dnsRoleScopeTooBroad,
  podIdentityRolesTooBroad,
  podIdentityRolesUnused,
  dataRoleBroaderThanNeeded,
  dataRoleScopeTooBroad,
  customRoleWildcard,
  identityEscalationPath,
];
