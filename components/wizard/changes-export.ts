import type { ExportColumn } from "@/components/exports/table";
import type { ChangeRecord } from "@/lib/remediation/changes";

/** The audit log as exported: one line per change, its steps summarised (their before/after stay in JSON only via the changes API). */
export const changeExportColumns: readonly ExportColumn<ChangeRecord>[] = [
  { key: "id", header: "Change id", value: (c) => c.id },
  { key: "kind", header: "Kind", value: (c) => c.kind },
  { key: "status", header: "Status", value: (c) => c.status },
  { key: "actor", header: "Actor", value: (c) => c.actor },
  { key: "startedAt", header: "Started", value: (c) => c.startedAt },
  { key: "finishedAt", header: "Finished", value: (c) => c.finishedAt },
  { key: "findingId", header: "Finding id", value: (c) => c.findingId },
  { key: "planId", header: "Plan", value: (c) => c.planId },
  { key: "summary", header: "Summary", value: (c) => c.summary },
  { key: "targetChangeId", header: "Undoes or finishes", value: (c) => c.targetChangeId },
  { key: "error", header: "Error", value: (c) => c.error },
  { key: "scopes", header: "Scopes", value: (c) => c.scopes },
  { key: "steps", header: "Steps", value: (c) => c.steps.map((s) => `${s.seq}. ${s.kind} ${s.status} ${s.targetId}`) },
];
