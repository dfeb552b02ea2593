import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { ScanState } from "@/lib/model/coverage";

const tone: Record<ScanState, BadgeTone> = { running: "accent", succeeded: "ok", partial: "warn", failed: "danger", cancelled: "neutral" };
const label: Record<ScanState, string> = { running: "Running", succeeded: "Complete", partial: "Partial", failed: "Failed", cancelled: "Cancelled" };

/** A scan's state in a word, with a colour that never carries it alone. */
export function ScanStateBadge({ state }: { state: ScanState }) {
  return <Badge tone={tone[state]}>{label[state]}</Badge>;
}
