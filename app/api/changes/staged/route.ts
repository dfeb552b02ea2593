import { z } from "zod";
import { json, mutatingRequest } from "@/app/_lib/api";
import { planStagedMigration } from "@/lib/rules/pod-identity-deprecated/staged-plan";
import { launchStagedMigration, productionClusterOfMigration, stagedEngineFor, stagedProgressOf } from "@/lib/scan/staged";
import { errorResponse } from "../respond";

const startSchema = z
  .object({
    findingId: z.string().min(1),
    // `namespace/name` of each chosen AzureIdentityBinding or pod identity, in the order they move.
    bindings: z
      .array(z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/, "must be namespace/name of a binding"))
      .min(1)
      .max(100),
    // Without `confirm: true` the answer is the plan of the chosen bindings, nothing is written.
    confirm: z.boolean().optional(),
    confirmCluster: z.string().max(253).optional(),
  })
  .strict();

/**
 * Starts a staged pod-identity → workload-identity migration of the chosen bindings (202 with
 * its progress; it runs on in the server), or previews its plan without `confirm`. A
 * production cluster needs its name typed (confirmCluster).
 */
export async function POST(request: Request): Promise<Response> {
  const req = await mutatingRequest(request, startSchema, { changesAzure: true });
  if (!req.ok) return req.response;
  const { findingId, bindings, confirm, confirmCluster } = req.body;
  try {
    const engine = await stagedEngineFor(req.actor);
    const { finding, inventory } = await engine.findFinding(findingId);
    if (finding.ruleId !== "pod-identity-deprecated" || !finding.clusterId) return json({ error: `finding ${findingId} is not an aad-pod-identity migration` }, 422);
    if (confirm !== true) return json({ plan: planStagedMigration(inventory, finding.clusterId, bindings) }, 200);
    const production = productionClusterOfMigration(finding.clusterId, inventory);
    if (production && confirmCluster !== production) {
      return json({ error: `${production} is a production cluster: type its name to confirm the migration (confirmCluster)`, cluster: production }, 422);
    }
    const changeId = await launchStagedMigration(req.actor, finding, inventory, bindings, engine);
    return json({ progress: await stagedProgressOf(changeId, engine) }, 202);
  } catch (err) {
    return errorResponse(err, "starting the staged migration");
  }
}
