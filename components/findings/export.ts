import type { ExportColumn } from "@/components/exports/table";
import type { FindingRow } from "./rows";

/** The findings list as exported: the table's columns plus the ids behind each name. */
export const findingExportColumns: readonly ExportColumn<FindingRow>[] = [
  { key: "id", header: "Finding id", value: (r) => r.id },
  { key: "severity", header: "Severity", value: (r) => r.severity },
  { key: "baseSeverity", header: "Base severity", value: (r) => r.baseSeverity },
  { key: "status", header: "Status", value: (r) => r.status },
  { key: "statusReason", header: "Status reason", value: (r) => r.statusReason },
  { key: "ruleId", header: "Rule", value: (r) => r.ruleId },
  { key: "title", header: "Title", value: (r) => r.title },
  { key: "identityName", header: "Identity", value: (r) => r.identity?.name },
  { key: "identityKind", header: "Identity kind", value: (r) => r.identity?.kind },
  { key: "identityKey", header: "Identity key", value: (r) => r.identity?.key },
  { key: "roleName", header: "Role", value: (r) => r.roleName },
  { key: "scope", header: "Scope id", value: (r) => r.scope?.id },
  { key: "scopeName", header: "Scope", value: (r) => r.scope?.name },
  { key: "scopeLevel", header: "Scope level", value: (r) => r.scope?.level },
  { key: "cluster", header: "Cluster id", value: (r) => r.cluster?.id },
  { key: "clusterName", header: "Cluster", value: (r) => r.cluster?.name },
  { key: "subscriptionIds", header: "Subscriptions", value: (r) => r.subscriptionIds },
  { key: "triage", header: "Triage", value: (r) => r.triage ?? "open" },
  { key: "controls", header: "Benchmark controls", value: (r) => r.controls },
  { key: "managedBy", header: "Managed by Terraform", value: (r) => r.managed && `${r.managed.address}${r.managed.file ? ` in ${r.managed.file}${r.managed.line ? `:${r.managed.line}` : ""}` : ""}` },
  { key: "message", header: "Message", value: (r) => r.message },
];
