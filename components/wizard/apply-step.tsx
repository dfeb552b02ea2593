import type { StepReport } from "@/lib/remediation/changes";
import type { ApplyPanelProps } from "./model";
import { ApplyPanel, FollowUps, StepStates } from "./apply-panel";

/** Step 4: the writes the engine would make (its dry run), what is left to people, and the confirmed apply. */
export function ApplyStep({
  planned,
  followUps,
  panel,
}: {
  planned: StepReport[];
  followUps: string[];
  panel: ApplyPanelProps;
}) {
  return (
    <section className="card section" aria-labelledby="a-title">
      <div className="section-header">
        <h2 id="a-title">Apply</h2>
        <p>Dry run by default: these are the writes, creations first. Nothing happens until you confirm.</p>
      </div>
      <div className="section-body">
        <StepStates steps={planned} label="Planned steps" />
        <FollowUps items={followUps} />
        <ApplyPanel {...panel} />
      </div>
    </section>
  );
}
