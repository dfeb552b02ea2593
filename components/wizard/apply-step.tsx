import type { StepReport } from "@/lib/remediation/changes";
import type { ApplyPanelProps } from "./model";
import { ApplyPanel, FollowUps, StepStates } from "./apply-panel";
import { StagedMigrationPanel } from "./staged-panel";

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
        {panel.staged ? (
          <>
            <StagedMigrationPanel findingId={panel.findingId} bindings={panel.staged.bindings} {...(panel.staged.changeId ? { changeId: panel.staged.changeId } : {})} actorName={panel.actorName} verifyHref={panel.verifyHref} {...(panel.productionCluster ? { productionCluster: panel.productionCluster } : {})} />
            <h3 className="spaced-top">Or apply the whole plan in one go</h3>
            <p className="muted">Every binding at once, without waiting for rollouts or checking the token exchange before the deletes.</p>
          </>
        ) : null}
        <StepStates steps={planned} label="Planned steps" />
        <FollowUps items={followUps} />
        <ApplyPanel {...panel} />
      </div>
    </section>
  );
}
