"use client";

import Link from "next/link";
import { useState } from "react";
import type { Verification } from "@/lib/remediation/verify";
import type { ApplyResult, StepReport } from "@/lib/remediation/changes";
import { TerraformOrigin } from "@/components/findings/terraform-origin";
import { CopyId } from "@/components/ui/copy-id";
import type { ApplyPanelProps } from "./model";
import { postWithCsrf } from "./post-json";
import { ProductionConfirm } from "./production-confirm";

type Status =
  | { state: "idle" }
  | { state: "busy"; doing: "dry-run" | "apply" }
  | { state: "done"; result: ApplyResult; verification?: Verification }
  | { state: "error"; message: string };

const STATE_LABEL: Record<StepReport["state"], string> = {
  planned: "Planned",
  done: "Done",
  failed: "Failed",
  undone: "Undone",
  "undo-failed": "Undo failed",
  skipped: "Skipped",
};

export function StepStates({ steps, label }: { steps: StepReport[]; label: string }) {
  return (
    <ol className="step-states" aria-label={label}>
      {steps.map((s) => (
        <li key={s.seq} data-testid="step-state">
          <span className="step-state" data-state={s.state}>
            {s.seq}. {STATE_LABEL[s.state]}
          </span>
          <span>
            {s.description} <CopyId id={s.target} what={`the target of step ${s.seq}`} />
            {s.note ? <div className="cell-sub">{s.note}</div> : null}
            {s.error ? <div className="cell-sub text-danger">{s.error}</div> : null}
          </span>
        </li>
      ))}
    </ol>
  );
}

/** Plan steps Scopewise does not perform. */
export function FollowUps({ items }: { items: string[] }) {
  if (items.length === 0) return null;
  return (
    <>
      <h3 className="spaced-top">Left for you to do</h3>
      <ul>
        {items.map((f) => (
          <li key={f}>{f}</li>
        ))}
      </ul>
    </>
  );
}

/**
 * Apply with an explicit confirmation: a dry run (the default) asks the engine for the exact
 * writes; applying needs the box ticked. The result lists each step done / failed / undone
 * and, after an apply, the rescan's verdict.
 */
export function ApplyPanel(props: ApplyPanelProps) {
  const [status, setStatus] = useState<Status>({ state: "idle" });
  const [confirmed, setConfirmed] = useState(false);
  const [overridden, setOverridden] = useState(false);
  const [typedCluster, setTypedCluster] = useState("");
  const clusterConfirmed = !props.productionCluster || typedCluster === props.productionCluster;
  const busy = status.state === "busy";
  const applied = status.state === "done" && !status.result.dryRun && status.result.status === "applied";

  async function run(confirm: boolean) {
    setStatus({ state: "busy", doing: confirm ? "apply" : "dry-run" });
    try {
      const body = { findingId: props.findingId, planId: props.planId, ...(Object.keys(props.choices).length ? { choices: props.choices } : {}), ...(confirm ? { confirm: true } : {}), ...(confirm && props.terraform ? { overrideTerraform: true } : {}), ...(confirm && props.productionCluster ? { confirmCluster: typedCluster } : {}) };
      const res = await postWithCsrf<{ result: ApplyResult; verification?: Verification }>("/api/changes", body);
      setStatus({ state: "done", result: res.result, verification: res.verification });
      if (confirm) setConfirmed(false);
    } catch (err) {
      setStatus({ state: "error", message: (err as Error).message });
    }
  }

  return (
    <div>
      <p>
        <button type="button" className="button" onClick={() => run(false)} disabled={busy || applied}>
          {status.state === "busy" && status.doing === "dry-run" ? "Checking…" : "Dry run (changes nothing)"}
        </button>
      </p>
      {props.terraform && !applied ? (
        <div className="callout callout-info" data-testid="apply-in-pipeline">
          <h3>Apply this in your pipeline</h3>
          <p>
            <TerraformOrigin origin={props.terraform.origin} />. Change the code (the <Link href={props.terraform.previewHref}>preview</Link> has the patch) and let your pipeline apply it.
          </p>
          <label className="confirm-box">
            <input type="checkbox" checked={overridden} onChange={(e) => setOverridden(e.target.checked)} disabled={busy} />
            <span>Apply through the API anyway</span>
          </label>
          {overridden ? (
            <p className="text-danger" role="alert">
              Drift: Azure will differ from the Terraform state. The next <code>terraform apply</code> of <code>{props.terraform.origin.address}</code> sets the grant back unless the code changes too.
            </p>
          ) : null}
        </div>
      ) : null}
      {!applied && (!props.terraform || overridden) ? (
        <div className="callout callout-warn">
          <h3>Apply to Azure</h3>
          <p>
            Acting as <b>{props.actorName}</b>. New grants are created and read back before anything is deleted; if a step fails, the steps already done are undone.
          </p>
          <label className="confirm-box">
            <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} disabled={busy} />
            <span>
              I understand this changes Azure role assignments{props.touchesKubernetes ? " and Kubernetes objects" : ""} as listed above, and that it is recorded in the audit log.
            </span>
          </label>
          {props.productionCluster ? <ProductionConfirm cluster={props.productionCluster} verb="apply" value={typedCluster} onChange={setTypedCluster} disabled={busy} /> : null}
          <button type="button" className="button button-primary" onClick={() => run(true)} disabled={!confirmed || !clusterConfirmed || busy}>
            {status.state === "busy" && status.doing === "apply" ? "Applying…" : "Apply the change"}
          </button>
        </div>
      ) : null}
      <div role="status" aria-live="polite">
        {status.state === "busy" && status.doing === "apply" ? <p>Applying and rescanning…</p> : null}
        {status.state === "error" ? (
          <div className="callout callout-danger">
            <h3>The request failed</h3>
            <p>{status.message}</p>
          </div>
        ) : null}
      </div>
      {status.state === "done" ? (
        <section aria-label={status.result.dryRun ? "Dry run result" : "Apply result"} className={`callout ${status.result.status === "applied" ? "callout-info" : status.result.dryRun ? "" : "callout-danger"}`}>
          <h3>{status.result.dryRun ? "Dry run" : status.result.status === "applied" ? "Applied" : `Not applied (${status.result.status})`}</h3>
          <p>{status.result.message}</p>
          {status.result.blocked ? <p>{status.result.blocked}</p> : null}
          <StepStates steps={status.result.steps} label={status.result.dryRun ? "Steps the apply would make" : "Steps"} />
          <FollowUps items={status.result.followUps} />
          {status.verification ? (
            <p data-testid="verification">
              <b>{status.verification.resolved ? "Resolved: " : "Not resolved: "}</b>
              {status.verification.message}
            </p>
          ) : null}
          {status.result.changeId ? (
            <p className="wizard-nav wizard-nav-start">
              {status.result.status === "applied" ? (
                // A full load, not a client navigation: the layout's top bar then shows the rescan the apply made.
                <button type="button" className="button button-primary" onClick={() => window.location.assign(`${props.verifyHref}&change=${encodeURIComponent(status.result.changeId!)}`)}>
                  Continue to verify
                </button>
              ) : null}
              <a className="button" href={`/changes#change-${status.result.changeId}`}>
                See the change in the audit log
              </a>
            </p>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
