import { Badge, type BadgeTone } from "@/components/ui/badge";
import { TriageStatus } from "@/lib/model/decisions";

export const triageStatusLabels: Record<TriageStatus, string> = {
  [TriageStatus.Open]: "Open",
  [TriageStatus.Accepted]: "Accepted risk",
  [TriageStatus.FalsePositive]: "False positive",
  [TriageStatus.Expired]: "Expired decision",
};

const tones: Record<TriageStatus, BadgeTone> = {
  [TriageStatus.Open]: "neutral",
  [TriageStatus.Accepted]: "accent",
  [TriageStatus.FalsePositive]: "ok",
  [TriageStatus.Expired]: "warn",
};

/** A finding's triage status; open findings show nothing in lists unless `showOpen`. */
export function TriageBadge({ status, showOpen = false, title }: { status: TriageStatus; showOpen?: boolean; title?: string }) {
  if (status === TriageStatus.Open && !showOpen) return null;
  return (
    <Badge tone={tones[status]} title={title}>
      {triageStatusLabels[status]}
    </Badge>
  );
}
