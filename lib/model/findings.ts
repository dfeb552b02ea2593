import type { IdentityKind } from "./types";

export const Severity = {
  Critical: "critical",
  High: "high",
  Medium: "medium",
  Low: "low",
} as const;
export type Severity = (typeof Severity)[keyof typeof Severity];

/** Highest first. */
export const SEVERITY_ORDER: readonly Severity[] = ["critical", "high", "medium", "low"];

export function severityRank(s: Severity): number {
  return SEVERITY_ORDER.length - SEVERITY_ORDER.indexOf(s);
}

/** A fact a finding relied on, with the id of the object it came from. */
export interface Evidence {
  source: string;
  fact: string;
}

/**
 * The output of an `az` command (its arguments, without `az`), read when the step runs: a value
 * only Azure knows at that time, such as the OIDC issuer URL of a cluster whose issuer is not
 * enabled yet. Renderers run it as a command of its own, never splice it in as text.
 */
export interface AzOutput {
  azOutput: readonly string[];
}

/**
 * One argument of an `az` command: literal text, a value read at run time, or literal text and
 * values read at run time joined into one argument (a JSON body naming such a value). Literal
 * parts are data, never shell syntax: every renderer quotes them for its language.
 */
export type AzArg = string | AzOutput | { join: readonly (string | AzOutput)[] };

/**
 * One step of a fix plan: typed data the remediation layer renders (az, Terraform, Bicep,
 * YAML) and applies. Real ids only, never placeholders.
 */
export type FixStep =
  | {
      kind: "create-role-assignment";
      principalId: string;
      principalType: string;
      roleDefinitionId: string;
      roleName: string;
      scope: string;
      /**
       * The ABAC condition the new assignment carries: a fix that re-creates a conditioned grant
       * keeps its condition, so it never grants more than the assignment it replaces.
       */
      condition?: string;
      conditionVersion?: string;
      /** Choices the wizard offers for this step (narrower scopes, alternative roles). */
      alternatives?: { roleDefinitionIds?: string[]; scopes?: string[] };
    }
  | { kind: "delete-role-assignment"; roleAssignmentId: string; principalId: string; roleName: string; scope: string }
  | {
      kind: "create-federated-credential";
      identityId: string;
      name: string;
      issuer: string;
      subject: string;
      audiences: string[];
    }
  | { kind: "delete-federated-credential"; federatedCredentialId: string }
  | {
      /**
       * A federated identity credential on an app registration (Microsoft Graph
       * `applications(appId='…')/federatedIdentityCredentials`), not an ARM resource: a
       * service principal with a client secret keeps its app and roles and trades the secret
       * for token exchange. Graph allows at most 20 per application.
       */
      kind: "create-app-federated-credential";
      /** The application's client id (appId), as the AzureIdentity and the ServiceAccount annotation name it. */
      appId: string;
      applicationName: string;
      name: string;
      issuer: string;
      subject: string;
      audiences: string[];
    }
  | { kind: "delete-app-federated-credential"; appId: string; name: string }
  | {
      kind: "kubernetes-apply";
      clusterId: string;
      /** The object as it should be after the change (server-side apply body). */
      manifest: Record<string, unknown>;
      description: string;
    }
  | { kind: "kubernetes-delete"; clusterId: string; apiVersion: string; objectKind: string; namespace?: string; name: string }
  | { kind: "create-managed-identity"; resourceGroupId: string; name: string; location?: string }
  | { kind: "delete-managed-identity"; identityId: string }
  | {
      kind: "az-command";
      /** The arguments after `az` (`["aks", "update", "--resource-group", rg, …]`), never a preformatted command line. */
      args: readonly AzArg[];
      description: string;
    }
  | { kind: "manual"; description: string };

export interface FixPlan {
  id: string;
  summary: string;
  steps: FixStep[];
}

/**
 * The infrastructure-as-code object a finding comes from. `address` is the Terraform
 * resource instance address (`module.aks.azurerm_role_assignment.acr_pull`); `file` (relative
 * to the directory the HCL was read from) and `line` (1-based, the block's first line) are
 * set only when the HCL sources were read.
 */
export interface IacOrigin {
  tool: "terraform";
  address: string;
  file?: string;
  line?: number;
}

/** A least-privilege finding (docs/rules.md; the scan output in docs/tenant-format.md). */
export interface Finding {
  /** Stable: the same finding gets the same id in every scan. */
  id: string;
  ruleId: string;
  severity: Severity;
  baseSeverity: Severity;
  /** Why the severity differs from the base severity, when it does. */
  severityReason?: string;
  title: string;
  message: string;
  principalId?: string;
  identityKey?: string;
  identityKind?: IdentityKind;
  identityName?: string;
  clusterId?: string;
  roleAssignmentId?: string;
  roleDefinitionId?: string;
  roleName?: string;
  scope?: string;
  /** Other object ids the finding is about (a binding, a federated credential, a pod...). */
  targetIds?: string[];
  evidence: Evidence[];
  fixes: FixPlan[];
  /**
   * Set when the finding is about an object a Terraform plan creates or changes (or a state
   * holds). Then `clusterId` / `principalId` / `roleAssignmentId` may be a Terraform address
   * instead of an ARM or directory id, for objects that do not exist until apply.
   */
  iac?: IacOrigin;
}
