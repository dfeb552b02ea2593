import { z } from "zod";
import { json, mutatingRequest } from "@/app/_lib/api";
import { DecisionSubjectKind } from "@/lib/model/decisions";
import { TriageState, utcDate } from "@/lib/model/triage";
import { getCurrentScan } from "@/lib/scan/current-scan";
import { InventoryUnavailableError } from "@/lib/scan/load";
import { DecisionRequestError, handleDecision } from "@/lib/scan/triage";
import { DecisionStoreError } from "@/lib/store/decisions";

const subject = {
  subject: z.enum([DecisionSubjectKind.Finding, DecisionSubjectKind.Rule, DecisionSubjectKind.Identity]),
  /** For a rule decision: the scope it covers (and below); the finding's own scope by default. */
  scope: z.string().trim().startsWith("/", "must be an ARM scope id").max(1000).optional(),
};

const decisionSchema = z.discriminatedUnion("action", [
  z.strictObject({
    action: z.literal("decide"),
    ...subject,
    state: z.enum([TriageState.Accepted, TriageState.FalsePositive]),
    reason: z.string().trim().min(1, "a reason is required").max(2000),
    owner: z.string().trim().min(1, "an owner is required").max(200),
    expires: z.iso.date("must be a date (YYYY-MM-DD)").refine((d) => d >= utcDate(new Date()), "must be today or later"),
  }),
  z.strictObject({ action: z.literal("withdraw"), ...subject }),
]);

/** Accepts a finding (or its rule at a scope, or its identity) as a risk or a false positive, or withdraws that decision. */
export async function POST(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const req = await mutatingRequest(request, decisionSchema);
  if (!req.ok) return req.response;
  const { id } = await context.params;
  try {
    const scan = await getCurrentScan(req.actor.viewer);
    return json(await handleDecision(scan, { viewer: req.actor.viewer, actor: req.actor.displayName }, id, req.body), 200);
  } catch (err) {
    if (err instanceof DecisionRequestError) return json({ error: err.message }, err.status);
    if (err instanceof InventoryUnavailableError) return json({ error: err.message }, 503);
    if (err instanceof DecisionStoreError) return json({ error: err.message }, 503);
    console.error("recording a triage decision failed", err);
    return json({ error: "recording the decision failed unexpectedly; see the server log" }, 500);
  }
}
