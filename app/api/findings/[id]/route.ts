import { getCurrentScan } from "@/lib/scan/current-scan";
import { lookupRoute } from "../../lookup";

/** One finding of the current scan: its id, rule, severity and title (404 when the scan has none with this id). */
export const GET = lookupRoute(
  "finding",
  async (actor, id) => (await getCurrentScan(actor.viewer)).findings.find((f) => f.id === id),
  (f) => ({ id: f.id, ruleId: f.ruleId, severity: f.severity, title: f.title }),
);
