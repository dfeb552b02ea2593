import { Badge } from "@/components/ui/badge";
import { formatDateTime } from "@/components/ui/format";
import { ScrollRegion } from "@/components/ui/scroll-region";
import type { AlertDelivery } from "@/lib/store/alert-deliveries";

const tone = { delivered: "ok", failed: "danger", sending: "warn" } as const;

/** The delivery log, newest first: each delivery's outcome and, on demand, every attempt. */
export function DeliveryTable({ deliveries }: { deliveries: AlertDelivery[] }) {
  return (
    <ScrollRegion label="Alert deliveries">
      <table className="data">
        <caption>
          Deliveries<span className="caption-note">the latest {deliveries.length}, newest first</span>
        </caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Alert</th>
            <th scope="col">Target</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((d) => (
            <tr key={d.id} data-testid="delivery" data-status={d.status}>
              <td>
                <time dateTime={d.createdAt}>{formatDateTime(d.createdAt)}</time>
              </td>
              <th scope="row">
                <div className="cell-title">{d.summary}</div>
                <div className="cell-sub">
                  {d.eventKind}
                  {d.scanId !== undefined ? ` · scan ${d.scanId}` : ""}
                </div>
              </th>
              <td className="wrap-anywhere">{d.target}</td>
              <td>
                <Badge tone={tone[d.status]}>{d.status}</Badge>
                {d.error ? <div className="cell-sub text-danger">{d.error}</div> : null}
              </td>
              <td>
                {d.attempts === 0 ? (
                  "0"
                ) : (
                  <details className="disclosure">
                    <summary>{d.attempts}</summary>
                    <ol className="plain-list">
                      {d.attemptLog.map((a, i) => (
                        <li key={`${a.at}-${i}`} className="cell-sub">
                          {formatDateTime(a.at)}: {a.httpStatus !== undefined ? `HTTP ${a.httpStatus}` : "no answer"}
                          {a.error && a.error !== `HTTP ${a.httpStatus}` ? ` (${a.error})` : ""}
                          {a.retryAfterMs !== undefined ? `, retried after ${Math.round(a.retryAfterMs / 1000)} s` : ""}
                        </li>
                      ))}
                    </ol>
                  </details>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
