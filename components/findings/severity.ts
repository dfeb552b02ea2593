import { SEVERITY_ORDER, type Severity } from "@/lib/model/findings";

export const severityLabels: Record<Severity, string> = {
  critical: "Critical",
  high: "High",
  medium: "Medium",
  low: "Low",
};

/** A shape per level, so severity never rests on colour alone. */
export const severityIcons: Record<Severity, string> = {
  critical: "◆",
  high: "▲",
  medium: "●",
  low: "○",
};

export const severityDescriptions: Record<Severity, string> = {
  critical: "Whoever reaches this identity can grant itself anything under the scope",
  high: "Write access or cluster-wide reach well beyond the identity's job",
  medium: "Wider than the job needs; narrow it",
  low: "Hygiene: leftovers and misconfigurations that hide real grants",
};

export { SEVERITY_ORDER };

export function isSeverity(value: string): value is Severity {
  return (SEVERITY_ORDER as readonly string[]).includes(value);
}
