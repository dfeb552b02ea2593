import type { Metadata } from "next";
import { connection } from "next/server";
import "@/components/findings/findings.css";
import { severityLabels } from "@/components/findings/severity";
import { EmptyState } from "@/components/ui/empty-state";
import { getAlertsOverview, type AlertsOverview } from "@/lib/scan/alerts/overview";
import { DeliveryTable } from "./_components/delivery-table";
import { SendTestAlert } from "./_components/send-test-alert";

export const metadata: Metadata = { title: "Alerts" };

export default async function AlertsPage() {
  await connection();
  let overview: AlertsOverview;
  try {
    overview = await getAlertsOverview();
  } catch (err) {
    return (
      <>
        <div className="page-header">
          <h1>Alerts</h1>
        </div>
        <section className="callout callout-danger" role="alert">
          <h2>The alert deliveries could not be read</h2>
          <p>{(err as Error).message}</p>
        </section>
      </>
    );
  }
  const { targets, minSeverity, signed, deliveries } = overview;
  return (
    <>
      <div className="page-header">
        <div className="title-block">
          <h1>Alerts</h1>
          <p className="muted">
            Webhooks told when a scan finds new findings at or above a severity, or when an accepted risk expires, and every delivery with its attempts.
          </p>
        </div>
      </div>
      <section className="card section" aria-labelledby="targets-title">
        <div className="section-header">
          <h2 id="targets-title">Targets</h2>
        </div>
        <div className="section-body">
          {targets.length === 0 ? (
            <p className="flush">
              No webhook is configured. Set <code>SCOPEWISE_ALERT_WEBHOOKS</code> (for example <code>slack:https://hooks.slack.com/services/…</code>) and{" "}
              <code>SCOPEWISE_ALERT_SECRET</code>, then restart; the README&apos;s Alerts section says how receivers verify the signature.
            </p>
          ) : (
            <dl className="meta-list">
              <dt>Webhooks</dt>
              <dd>
                <ul className="plain-list">
                  {targets.map((t) => (
                    <li key={t.label} className="wrap-anywhere">
                      {t.label}
                    </li>
                  ))}
                </ul>
              </dd>
              <dt>New findings at or above</dt>
              <dd>{severityLabels[minSeverity]}</dd>
              <dt>Signed</dt>
              <dd>{signed ? "HMAC-SHA256 in X-Scopewise-Signature" : "no"}</dd>
            </dl>
          )}
          {targets.length > 0 && signed ? <SendTestAlert /> : null}
        </div>
      </section>
      <section className="card section" aria-label="Deliveries">
        {deliveries.length === 0 ? (
          <EmptyState title="No alerts sent yet">
            <p>{targets.length === 0 ? "Configure a webhook to receive alerts." : "A scan with new findings at or above the severity, or an expired accepted risk, sends one."}</p>
          </EmptyState>
        ) : (
          <DeliveryTable deliveries={deliveries} />
        )}
      </section>
    </>
  );
}
