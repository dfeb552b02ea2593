import Link from "next/link";
import type { Finding } from "@/lib/model/findings";
import type { Inventory } from "@/lib/model/types";
import { verifyFinding } from "@/lib/remediation/verify";
import type { ChangeRecord } from "@/lib/remediation/changes";
import { wizardHref } from "./steps";
import { changeVerdict, checkChangeAgainstScan } from "./verify";

/** Step 5: the latest scan's verdict on the finding, and each grant the change made or removed. */
export function VerifyStep({ finding, inventory, change, auditError }: { finding: Pick<Finding, "id" | "ruleId">; inventory: Inventory; change?: ChangeRecord; auditError?: string }) {
  const verification = verifyFinding(finding, inventory);
  const checks = change ? checkChangeAgainstScan(change, inventory) : [];
  const applied = changeVerdict(checks);
  return (
    <section className="card section" aria-labelledby="v-title">
      <div className="section-header">
        <h2 id="v-title">Verify</h2>
        <p>Against the scan of {new Date(inventory.scannedAt).toISOString().replace("T", " ").slice(0, 19)} UTC</p>
      </div>
      <div className="section-body">
        {applied && change ? (
          <div className={`callout ${applied.ok ? "callout-info" : "callout-warn"}`} data-testid="change-verdict">
            <h3>The applied plan: {change.summary}</h3>
            <p>{applied.text}</p>
          </div>
        ) : null}
        <div className={`callout ${verification.resolved ? "callout-info" : "callout-warn"}`} data-testid="verify-verdict">
          <h3>{verification.resolved ? "Resolved" : "Not resolved"}</h3>
          <p>{verification.resolved ? verification.message : `Not resolved, because ${verification.message.charAt(0).toLowerCase()}${verification.message.slice(1)}`}</p>
        </div>
        {verification.remaining && verification.remaining.fixes.length > 0 ? (
          <>
            <h3>What is left</h3>
            <ul className="radius-list" aria-label="Fix options still open">
              {verification.remaining.fixes.map((p) => (
                <li key={p.id}>
                  <Link href={wizardHref(finding.id, { step: "understand", planId: p.id })}>{p.summary}</Link>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {checks.length > 0 ? (
          <>
            <h3>In the rescan</h3>
            <ul className="radius-list" aria-label="Grants in the rescan">
              {checks.map((c) => (
                <li key={c.description}>
                  <b style={{ color: c.ok ? "var(--ok)" : "var(--danger)" }}>{c.ok ? "✓" : "✗"}</b> {c.expectation === "present" ? (c.ok ? "Present: " : "Missing: ") : c.ok ? "Gone: " : "Still there: "}
                  <span style={{ overflowWrap: "anywhere" }}>{c.description}</span>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {change ? (
          <p>
            <Link href={`/changes#change-${change.id}`}>Change {change.id.slice(0, 8)} in the audit log</Link> ({change.status}, by {change.actor})
          </p>
        ) : (
          <p className="muted">{auditError ? `The audit log could not be read: ${auditError}` : "No applied change for this finding in the audit log."}</p>
        )}
      </div>
    </section>
  );
}
