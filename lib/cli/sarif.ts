import type { Location, Log, ReportingDescriptor, Result } from "sarif";
import type { Finding, Severity } from "@/lib/model/findings";
import type { RuleMeta } from "@/lib/rules/define";
import { inputFindingKinds } from "@/lib/rules/input-kinds";
import type { ReportedFinding, ScanOutput } from "./output";

const LEVEL: Record<Severity, "error" | "warning" | "note"> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "note",
};

/** GitHub code scanning ranks security results by this number (CVSS-like, 0-10). */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "3.0",
};

function pascal(id: string): string {
  return id
    .split("-")
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join("");
}

function ruleDescriptor(meta: RuleMeta): ReportingDescriptor {
  const refs = meta.references.map((r) => `- [${r.title}](${r.url})`).join("\n");
  return {
    id: meta.id,
    name: pascal(meta.id),
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.description },
    help: {
      text: `${meta.rationale}\n\nFix: ${meta.remediation}`,
      markdown: `**Why it matters.** ${meta.rationale}\n\n**Fix.** ${meta.remediation}${refs ? `\n\n**References**\n${refs}` : ""}`,
    },
    ...(meta.references[0] ? { helpUri: meta.references[0].url } : {}),
    defaultConfiguration: { level: LEVEL[meta.severity] },
    properties: { "security-severity": SECURITY_SEVERITY[meta.severity], tags: ["security", "azure", "aks", "least-privilege"] },
  };
}

export interface SarifOptions {
  /** Directory (relative to where the scan ran, `/`-separated) that `iac.file` paths are relative to. */
  iacRoot?: string;
}

/** Where code scanning annotates a finding about a Terraform block: its file (relative to the repository root) and first line. */
function physicalLocation(f: Finding, options: SarifOptions): Location | undefined {
  if (!f.iac?.file || !f.iac.line) return undefined;
  const root = options.iacRoot && options.iacRoot !== "." ? `${options.iacRoot.replace(/\/+$/, "")}/` : "";
  const uri = `${root}${f.iac.file}`.split("/").map(encodeURIComponent).join("/");
  return {
    physicalLocation: { artifactLocation: { uri, uriBaseId: "%SRCROOT%" }, region: { startLine: f.iac.line } },
    logicalLocations: [{ fullyQualifiedName: f.iac.address, kind: "terraformResource" }],
  };
}

function result(f: ReportedFinding, ruleIndex: number, options: SarifOptions): Result {
  const locations: Location[] = [f.roleAssignmentId, f.scope, f.clusterId, ...(f.targetIds ?? [])]
    .filter((x): x is string => !!x)
    .filter((x, i, all) => all.indexOf(x) === i)
    .map((id, i) => ({
      logicalLocations: [{ fullyQualifiedName: id, kind: i === 0 && f.roleAssignmentId ? "roleAssignment" : "resource" }],
    }));
  if (f.principalId) locations.push({ logicalLocations: [{ fullyQualifiedName: f.principalId, kind: "principal" }] });
  // Code scanning reads the first location: the line of Terraform that makes the grant goes first.
  const code = physicalLocation(f, options);
  if (code) locations.unshift(code);
  return {
    ruleId: f.ruleId,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations,
    partialFingerprints: { "scopewiseFindingId/v1": f.id },
    // A decision kept outside the scanned tenant (the exceptions file): code scanning shows the
    // result as dismissed with the team's reason.
    ...(f.triage
      ? { suppressions: [{ kind: "external" as const, justification: f.triage.reason, properties: { state: f.triage.state, owner: f.triage.owner, expires: f.triage.expires } }] }
      : {}),
    properties: {
      severity: f.severity,
      baseSeverity: f.baseSeverity,
      ...(f.severityReason ? { severityReason: f.severityReason } : {}),
      "security-severity": SECURITY_SEVERITY[f.severity],
      ...(f.identityName ? { identity: f.identityName } : {}),
      ...(f.identityKind ? { identityKind: f.identityKind } : {}),
      ...(f.roleName ? { roleName: f.roleName } : {}),
      ...(f.iac ? { terraformAddress: f.iac.address } : {}),
      fixes: f.fixes.map((p) => p.summary),
    },
  };
}

/** SARIF 2.1.0: one rule per rule id (all rules that ran, found or not), results with ARM ids as logical locations. */
export function renderSarif(output: ScanOutput, ran: readonly RuleMeta[], toolVersion: string, options: SarifOptions = {}): Log {
  // Kinds from other inputs (Terraform drift) are not rules that run; they are declared when their findings are reported.
  const extra = inputFindingKinds.filter((k) => !ran.some((r) => r.id === k.id) && output.findings.some((f) => f.ruleId === k.id));
  const rules = [...ran, ...extra];
  const indexById = new Map(rules.map((r, i) => [r.id, i]));
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "Scopewise",
            version: toolVersion,
            rules: rules.map(ruleDescriptor),
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            endTimeUtc: output.scannedAt,
            toolExecutionNotifications: output.errors.map((e) => ({
              level: "warning" as const,
              message: { text: `${e.source}${e.cluster ? ` (${e.cluster})` : e.scope ? ` (${e.scope})` : ""}: ${e.message}` },
            })),
          },
        ],
        results: output.findings.map((f) => result(f, indexById.get(f.ruleId) ?? -1, options)),
      },
    ],
  };
}
