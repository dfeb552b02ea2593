import { z } from "zod";
import { json, mutatingRequest } from "@/app/_lib/api";
import { idsMatching } from "@/components/findings/triaged-rows";
import { TriageState, utcDate } from "@/lib/model/triage";
import { getCurrentScan } from "@/lib/scan/current-scan";
import { InventoryUnavailableError } from "@/lib/scan/load";
import { DecisionRequestError } from "@/lib/scan/triage";
import { bulkTriage } from "@/lib/scan/triage-bulk";
import { DecisionStoreError } from "@/lib/store/decisions";

const MAX_IDS = 500;
const owner = z.string().trim().min(1, "an owner is required").max(200);

const bodySchema = z.strictObject({
  /** The findings ticked on a page, or every finding the list shows for a filter (the URL's parameters). */
  selection: z.union([
    z.strictObject({ ids: z.array(z.string().min(1).max(300)).min(1, "select at least one finding").max(MAX_IDS, `at most ${MAX_IDS} ids: select all matching the filter instead`) }),
    z.strictObject({ filter: z.record(z.string(), z.string().max(1000)) }),
  ]),
  action: z.discriminatedUnion("action", [
    z.strictObject({
      action: z.literal("decide"),
      state: z.enum([TriageState.Accepted, TriageState.FalsePositive]),
      reason: z.string().trim().min(1, "a reason is required").max(2000),
      owner,
      expires: z.iso.date("must be a date (YYYY-MM-DD)").refine((d) => d >= utcDate(new Date()), "must be today or later"),
    }),
    z.strictObject({ action: z.literal("assign-owner"), owner }),
  ]),
});

/** Decides about, or assigns an owner to, the selected findings of the caller's current scan: `{"decided": n, "skipped": [...]}`. */
export async function POST(request: Request): Promise<Response> {
  const req = await mutatingRequest(request, bodySchema);
  if (!req.ok) return req.response;
  try {
    const scan = await getCurrentScan(req.actor.viewer);
    const { selection, action } = req.body;
    let ids: string[];
    if ("ids" in selection) ids = selection.ids;
    else {
      const matched = await idsMatching(scan, selection.filter);
      if (matched.errors.length > 0) return json({ error: "invalid filter", issues: matched.errors.map((e) => `selection.filter: ${e}`) }, 422);
      ids = matched.ids;
      if (ids.length === 0) return json({ error: "no finding matches the filter" }, 404);
    }
    return json(await bulkTriage(scan, { viewer: req.actor.viewer, actor: req.actor.displayName }, ids, action), 200);
  } catch (err) {
    if (err instanceof DecisionRequestError) return json({ error: err.message }, err.status);
    if (err instanceof InventoryUnavailableError || err instanceof DecisionStoreError) return json({ error: err.message }, 503);
    console.error("bulk triage failed", err);
    return json({ error: "the bulk action failed unexpectedly; see the server log" }, 500);
  }
}
