import { latestApplied } from "@/components/wizard/changes";
import { changesOfFinding } from "@/lib/scan/apply";
import { getCurrentScan } from "@/lib/scan/current-scan";
import { lookupRoute } from "../../lookup";

/**
 * One finding of the current scan: its id, rule, severity and title; for a finding the scan no
 * longer reports that a change applied from Scopewise fixed, the change that fixed it (its page
 * says so). 404 when neither.
 */
export const GET = lookupRoute(
  "finding",
  async (actor, id) => {
    const finding = (await getCurrentScan(actor.viewer)).findings.find((f) => f.id === id);
    if (finding) return { finding };
    const fix = latestApplied((await changesOfFinding(id, actor.viewer)).changes, id);
    return fix ? { fix } : undefined;
  },
  ({ finding, fix }) =>
    finding ? { id: finding.id, ruleId: finding.ruleId, severity: finding.severity, title: finding.title } : { id: fix!.findingId, fixedBy: { changeId: fix!.id, at: fix!.finishedAt ?? fix!.startedAt } },
);
