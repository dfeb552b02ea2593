import { z } from "zod";
import { buildChosenPlan, WizardChoiceError } from "@/components/wizard/chosen-plan";
import { getCurrentScan } from "@/lib/scan/current-scan";
import { InventoryUnavailableError, SignInRequiredError } from "@/lib/scan/load";
import { RENDER_FORMATS, renderContextFor, renderFileName, renderPlan } from "@/lib/remediation/render";
import { RoleCatalog } from "@/lib/roles/catalog";
import { buildCodeFixView, patchFileName } from "@/components/wizard/code-fix";
import type { Finding, FixPlan } from "@/lib/model/findings";
import { ownershipOfShownScan } from "@/lib/scan/terraform-ownership";

const json = (body: unknown, status: number) => Response.json(body, { status, headers: { "cache-control": "no-store" } });

const querySchema = z.object({
  plan: z.string().min(1),
  // "patch": the change to the Terraform source, for a finding on a grant a configured state holds.
  format: z.enum(["patch", ...RENDER_FORMATS]),
  scope: z.array(z.string().startsWith("/")).max(50).optional(),
  role: z.string().min(1).optional(),
});

/** The plan, with the wizard's choices, rendered as a file: `?plan=&format=&scope=…&role=`. */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const url = new URL(request.url);
  const scopes = url.searchParams.getAll("scope");
  const parsed = querySchema.safeParse({
    plan: url.searchParams.get("plan") ?? undefined,
    format: url.searchParams.get("format") ?? undefined,
    scope: scopes.length ? scopes : undefined,
    role: url.searchParams.get("role") ?? undefined,
  });
  if (!parsed.success) return json({ error: "invalid download request", issues: parsed.error.issues.map((i) => `${i.path.join(".") || "query"}: ${i.message}`) }, 422);
  const { id } = await context.params;
  const findingId = decodeURIComponent(id);
  let scan;
  try {
    scan = await getCurrentScan();
  } catch (err) {
    if (err instanceof SignInRequiredError) return json({ error: "sign in first" }, 401);
    if (err instanceof InventoryUnavailableError) return json({ error: err.message }, 503);
    throw err;
  }
  const finding = scan.findings.find((f) => f.id === findingId);
  if (!finding) return json({ error: `no finding ${findingId} in the current scan` }, 404);
  const plan = finding.fixes.find((p) => p.id === parsed.data.plan);
  if (!plan) return json({ error: `finding ${findingId} has no fix plan "${parsed.data.plan}" (it has: ${finding.fixes.map((p) => p.id).join(", ")})` }, 404);
  const catalog = RoleCatalog.withBuiltins(scan.inventory.roleDefinitions);
  let chosen;
  try {
    chosen = buildChosenPlan(plan, { ...(parsed.data.scope ? { scopes: parsed.data.scope } : {}), ...(parsed.data.role ? { roleDefinitionId: parsed.data.role } : {}) }, (r) => catalog.get(r)?.roleName);
  } catch (err) {
    if (err instanceof WizardChoiceError) return json({ error: err.message }, 422);
    throw err;
  }
  if (parsed.data.format === "patch") return patchResponse(scan, finding, chosen);
  const format = parsed.data.format as (typeof RENDER_FORMATS)[number];
  const text = renderPlan(chosen, format, renderContextFor(scan.inventory, chosen));
  return new Response(text, {
    status: 200,
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "content-disposition": `attachment; filename="${renderFileName(chosen, format)}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}

async function patchResponse(scan: Awaited<ReturnType<typeof getCurrentScan>>, finding: Finding, chosen: FixPlan): Promise<Response> {
  const ownership = await ownershipOfShownScan(scan);
  const view = buildCodeFixView(ownership.findings.find((f) => f.id === finding.id) ?? finding, chosen, ownership.sources);
  if (!view) return json({ error: `no Terraform state holds what finding ${finding.id} is about` }, 404);
  if ("error" in view) return json({ error: `no patch for ${view.origin.address}: ${view.error}` }, 422);
  return new Response(view.diff, {
    status: 200,
    headers: {
      "content-type": "text/x-diff; charset=utf-8",
      "content-disposition": `attachment; filename="${patchFileName(finding, chosen)}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
