import type { Severity } from "@/lib/model/findings";
import type { GraphNode } from "@/lib/graph/types";

/**
 * Severity colours as CSS variables (graph.css), so they follow the light or dark theme in
 * inline SVG styles too; never the only signal: every severity also shows its glyph and word.
 */
export const SEVERITY_COLOR: Readonly<Record<Severity, string>> = {
  critical: "var(--graph-sev-critical)",
  high: "var(--graph-sev-high)",
  medium: "var(--graph-sev-medium)",
  low: "var(--graph-sev-low)",
};
export const NEUTRAL_EDGE = "var(--graph-edge)";

export function edgeColor(severity: Severity | undefined): string {
  return severity ? SEVERITY_COLOR[severity] : NEUTRAL_EDGE;
}

/** The light theme's literal colours, for exported SVG and PNG files, which carry no stylesheet. */
const SEVERITY_HEX: Readonly<Record<Severity, string>> = { critical: "#8e1b12", high: "#c4320a", medium: "#a15c00", low: "#4a6fa5" };
export const edgeHex = (severity: Severity | undefined): string => (severity ? SEVERITY_HEX[severity] : "#8a94a3");

const KIND_ACCENT: Record<string, string> = {
  cluster: "#326ce5",
  namespace: "#6b7785",
  workload: "#0f766e",
  "service-account": "#4d7c0f",
  "pod-identity-binding": "#9a3412",
  "azure-identity": "#b45309",
  "federated-credential": "#7c3aed",
  "management-group": "#374151",
  subscription: "#1e40af",
  "resource-group": "#0369a1",
  resource: "#0e7490",
};
const IDENTITY_ACCENT: Record<string, string> = {
  "control-plane": "#7a3db8",
  kubelet: "#0b6e80",
  addon: "#8a5a00",
  app: "#1f5fbf",
  "service-principal": "#a4262c",
  other: "#4a5565",
};

/** The stripe colour of a node: its kind, or for identities their job. */
export function nodeAccent(n: Pick<GraphNode, "kind" | "identityKind">): string {
  if (n.kind === "identity") return IDENTITY_ACCENT[n.identityKind ?? "other"] ?? IDENTITY_ACCENT.other!;
  return KIND_ACCENT[n.kind] ?? "#6b7785";
}
