import { z } from "zod";
import { requireActor } from "@/lib/auth/actor";
import { applyPlan } from "@/lib/remediation/apply/apply";
import { describeManaged } from "@/lib/iac/managed-origin";
import { engineFor, listChanges, rescanAndVerify } from "@/lib/scan/apply";
import { managedGrantOf } from "@/lib/scan/terraform-ownership";
import { productionClusterOf, productionRuleOf } from "@/lib/scan/production";
import { serverEnv } from "@/lib/env";
import { json, mutatingRequest } from "@/app/_lib/api";
import { errorResponse } from "./respond";

const applySchema = z
  .object({
    findingId: z.string().min(1),
    planId: z.string().min(1),
    // Without `confirm: true` the request is a dry run: apply needs an explicit confirmation.
    confirm: z.boolean().optional(),
    // A grant a Terraform state holds is changed in the pipeline; applying it here is an explicit override.
    overrideTerraform: z.boolean().optional(),
    // On a production cluster an apply carries the cluster's name, typed by the person.
    confirmCluster: z.string().max(253).optional(),
    choices: z
      .object({
        scopes: z.array(z.string().startsWith("/")).min(1).max(50).optional(),
        roleDefinitionId: z.string().regex(/\/providers\/Microsoft\.Authorization\/roleDefinitions\/[0-9a-fA-F-]{36}$/, "must be a role definition id").optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** Applies (confirm: true) or dry-runs a finding's fix plan; after an apply, rescans and says whether the finding is gone. */
export async function POST(request: Request): Promise<Response> {
  const req = await mutatingRequest(request, applySchema, { changesAzure: true, allow: "GET" });
  if (!req.ok) return req.response;
  const { findingId, planId, confirm, choices, overrideTerraform, confirmCluster } = req.body;
  try {
    const engine = await engineFor(req.actor);
    const { finding, inventory } = await engine.findFinding(findingId);
    const plan = finding.fixes.find((p) => p.id === planId);
    if (!plan) return json({ error: `finding ${findingId} has no fix plan "${planId}" (it has: ${finding.fixes.map((p) => p.id).join(", ")})` }, 404);
    const production = confirm === true ? productionClusterOf(finding, plan, inventory, productionRuleOf(serverEnv())) : undefined;
    if (production && confirmCluster !== production) {
      return json({ error: `${production} is a production cluster: type its name to confirm the apply (confirmCluster)`, cluster: production }, 422);
    }
    const managed = confirm === true && overrideTerraform !== true ? await managedGrantOf(finding, inventory) : undefined;
    if (managed) {
      return json(
        {
          error: `${describeManaged(managed)} manages this grant: apply the change through your Terraform pipeline, or send overrideTerraform: true to apply it here knowing the next terraform apply sets it back`,
          terraform: { address: managed.address, ...(managed.file ? { file: managed.file, line: managed.line } : {}) },
        },
        409,
      );
    }
    const result = await applyPlan(plan, { ...engine, inventory, finding, choices, dryRun: confirm !== true });
    const verification = result.status === "applied" ? await rescanAndVerify(req.actor, finding) : undefined;
    return json({ result, ...(verification ? { verification } : {}) }, 200);
  } catch (err) {
    return errorResponse(err, "applying the fix");
  }
}

const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100), findingId: z.string().min(1).optional() });

/** The audit log, newest first, with the changes a crash left unfinished. */
export async function GET(request: Request): Promise<Response> {
  const who = await requireActor(request);
  if (!who.ok) return who.response;
  const url = new URL(request.url);
  const query = listQuery.safeParse(Object.fromEntries(url.searchParams));
  if (!query.success) return json({ error: "invalid query", issues: query.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) }, 422);
  try {
    return json(await listChanges(who.actor.viewer, query.data), 200);
  } catch (err) {
    return errorResponse(err, "reading the audit log");
  }
}
