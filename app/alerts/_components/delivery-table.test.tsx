import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { AlertDelivery } from "@/lib/store/alert-deliveries";
import { DeliveryTable } from "./delivery-table";

const delivery = (extra: Partial<AlertDelivery>): AlertDelivery => ({
  id: "d1",
  eventKind: "new-findings",
  target: "slack https://hooks.slack.com (1)",
  format: "slack",
  summary: "Scopewise: 2 new findings at or above High in scan 12",
  scanId: 12,
  status: "delivered",
  attempts: 1,
  attemptLog: [{ at: "2026-01-01T00:00:00.000Z", httpStatus: 200 }],
  createdAt: "2026-01-01T00:00:00.000Z",
  ...extra,
});

describe("DeliveryTable", () => {
  it("shows each delivery's outcome, its error, and every attempt with the wait before the next", () => {
    const html = renderToStaticMarkup(
      <DeliveryTable
        deliveries={[
          delivery({}),
          delivery({
            id: "d2",
            status: "failed",
            attempts: 2,
            httpStatus: 503,
            error: "HTTP 503",
            attemptLog: [
              { at: "2026-01-01T00:00:00.000Z", httpStatus: 429, error: "HTTP 429", retryAfterMs: 3000 },
              { at: "2026-01-01T00:00:03.000Z", error: "network: connect ECONNREFUSED" },
            ],
          }),
        ]}
      />,
    );
    expect(html.match(/data-testid="delivery"/g)).toHaveLength(2);
    expect(html).toContain('data-status="failed"');
    expect(html).toContain("HTTP 429, retried after 3 s");
    expect(html).toContain("no answer (network: connect ECONNREFUSED)");
    expect(html).toContain("new-findings · scan 12");
    expect(html).not.toContain("hooks.slack.com/services");
  });
});
