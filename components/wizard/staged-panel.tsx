"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import type { MigrationBinding, StagedProgressView } from "@/lib/model/staged-migration";
import { getJson, postWithCsrf } from "./post-json";
import { ProductionConfirm } from "./production-confirm";

type Progress = StagedProgressView & { settling: boolean };

const PHASE_STATE: Record<string, string> = { planned: "Planned", running: "Running", done: "Done", failed: "Failed" };
const POLL_MS = 1500;

/** The migration is still moving (a process runs it, or rescans after it): keep polling. */
const moving = (p: Progress) => p.active || p.settling || (p.state === "running" && p.changeStatus === "pending");
const resumable = (p: Progress) => !p.active && (p.state === "paused" || p.state === "stopped" || (p.state === "running" && p.changeStatus === "needs-reconcile"));

function PhaseList({ progress }: { progress: Progress }) {
  return (
    <>
      {progress.bindings.map((b) => (
        <section key={b.key} className="staged-binding" aria-label={`Binding ${b.key}`}>
          <h4>
            {b.key} <span className="cell-sub">→ {b.identityName}</span>
          </h4>
          <p className="cell-sub">{b.workloads.join(", ") || "selects no running workload"}</p>
          <ol className="step-states" aria-label={`Phases of ${b.key}`}>
            {b.phases.map((p) => (
              <li key={p.phase} data-testid="phase-state">
                <span className="step-state" data-state={p.status}>
                  {PHASE_STATE[p.status] ?? p.status}
                </span>
                <span>
                  {p.label}
                  {p.message ? <div className={`cell-sub${p.status === "failed" ? " text-danger" : ""}`}>{p.message}</div> : null}
                </span>
              </li>
            ))}
          </ol>
        </section>
      ))}
    </>
  );
}

/**
 * The staged pod-identity → workload-identity migration: choose bindings, confirm (typing the
 * cluster's name on production), then follow each binding's phases live, with Pause and Resume.
 * When it ends the page refreshes, so the top bar shows the rescan the server made.
 */
export function StagedMigrationPanel(props: { findingId: string; bindings: MigrationBinding[]; changeId?: string; actorName: string; productionCluster?: string; verifyHref: string }) {
  const router = useRouter();
  const [chosen, setChosen] = useState<string[]>([]);
  const [confirmed, setConfirmed] = useState(false);
  const [typed, setTyped] = useState("");
  const [progress, setProgress] = useState<Progress>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const clusterOk = !props.productionCluster || typed === props.productionCluster;
  const changeId = progress?.changeId;
  const polling = progress ? moving(progress) : false;

  // A migration of this finding under way (started earlier, paused, stopped, interrupted): show it, not a new choice.
  useEffect(() => {
    if (!props.changeId) return;
    getJson<{ progress: Progress }>(`/api/changes/staged/${encodeURIComponent(props.changeId)}`).then(
      (p) => setProgress(p.progress),
      (err: unknown) => setError((err as Error).message),
    );
  }, [props.changeId]);

  useEffect(() => {
    if (!changeId || !polling) return;
    const timer = setTimeout(async () => {
      try {
        const next = (await getJson<{ progress: Progress }>(`/api/changes/staged/${encodeURIComponent(changeId)}`)).progress;
        setProgress(next);
        // Ended and rescanned: reload the server parts (top bar scan time, findings) without leaving the page.
        if (!moving(next)) router.refresh();
      } catch (err) {
        setError((err as Error).message);
      }
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [changeId, polling, progress, router]);

  async function act(url: string, body: unknown) {
    setBusy(true);
    setError(undefined);
    try {
      setProgress((await postWithCsrf<{ progress: Progress }>(url, body)).progress);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }
  const confirmCluster = props.productionCluster ? { confirmCluster: typed } : {};
  const toggle = (key: string, on: boolean) => setChosen((c) => (on ? [...c.filter((k) => k !== key), key] : c.filter((k) => k !== key)));

  return (
    <div className="callout callout-warn" data-testid="staged-migration">
      <h3>Staged migration</h3>
      {!progress ? (
        <>
          <p>
            Acting as <b>{props.actorName}</b>. For each chosen binding, in order: create the federated credential, annotate the ServiceAccount and label the pod template (the workload restarts), wait for the rollout, verify the token
            exchange for the new pods, and only then delete the binding. Bindings you do not choose are not touched.
          </p>
          <fieldset className="choice-list">
            <legend>Bindings to migrate</legend>
            {props.bindings.map((b) => (
              <label key={b.key}>
                <input type="checkbox" checked={chosen.includes(b.key)} onChange={(e) => toggle(b.key, e.target.checked)} disabled={busy} />
                <span>
                  <b>{b.key}</b> → {b.identityName}
                  {b.appRegistration ? " (app registration)" : ""}
                  {b.managed ? " (managed pod identity: az aks pod-identity delete stays a manual step)" : ""}
                  <span className="cell-sub"> · {b.workloads.map((w) => `${w.kind} ${w.namespace}/${w.name}`).join(", ") || "selects no running workload"}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <label className="confirm-box">
            <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} disabled={busy} />
            <span>I understand the chosen workloads restart and the change is recorded in the audit log.</span>
          </label>
          {props.productionCluster ? <ProductionConfirm cluster={props.productionCluster} verb="start" value={typed} onChange={setTyped} disabled={busy} /> : null}
          <button type="button" className="button button-primary" disabled={busy || chosen.length === 0 || !confirmed || !clusterOk} onClick={() => act("/api/changes/staged", { findingId: props.findingId, bindings: chosen, confirm: true, ...confirmCluster })}>
            {busy ? "Starting…" : `Migrate ${chosen.length} binding${chosen.length === 1 ? "" : "s"}`}
          </button>
        </>
      ) : (
        <>
          <p role="status" aria-live="polite" data-testid="staged-message">
            {progress.message}
          </p>
          <PhaseList progress={progress} />
          <p className="wizard-nav wizard-nav-start">
            {progress.state === "running" && progress.active && !progress.pauseRequested ? (
              <button type="button" className="button" disabled={busy} onClick={() => act(`/api/changes/staged/${encodeURIComponent(progress.changeId)}/pause`, {})}>
                Pause after this phase
              </button>
            ) : null}
            {resumable(progress) ? (
              <>
                {props.productionCluster ? <ProductionConfirm cluster={props.productionCluster} verb="resume" value={typed} onChange={setTyped} disabled={busy} /> : null}
                <button type="button" className="button button-primary" disabled={busy || !clusterOk} onClick={() => act(`/api/changes/staged/${encodeURIComponent(progress.changeId)}/resume`, { confirm: true, ...confirmCluster })}>
                  Resume
                </button>
              </>
            ) : null}
            {!moving(progress) && progress.state === "completed" ? (
              <button type="button" className="button button-primary" onClick={() => window.location.assign(`${props.verifyHref}&change=${encodeURIComponent(progress.changeId)}`)}>
                Continue to verify
              </button>
            ) : null}
            <a className="button" href={`/changes#change-${progress.changeId}`}>
              See the change in the audit log
            </a>
          </p>
        </>
      )}
      {error ? (
        <div className="callout callout-danger" role="alert">
          <h3>The request failed</h3>
          <p>{error}</p>
        </div>
      ) : null}
    </div>
  );
}
