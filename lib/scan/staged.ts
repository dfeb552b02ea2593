import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { serverEnv } from "@/lib/env";
import type { Finding } from "@/lib/model/findings";
import type { Inventory } from "@/lib/model/types";
import { ApplyRequestError } from "@/lib/remediation/apply/apply";
import { buildMigrationChecks } from "@/lib/remediation/staged/checks";
import { resumeStagedMigration, runStagedMigration, startStagedMigration, type StagedContext } from "@/lib/remediation/staged/engine";
import { buildStagedProgress, type StagedProgressView } from "@/lib/remediation/staged/progress";
import { getInventory, refreshInventory } from "@/lib/scan/load";
import { scanConfigFromEnv } from "@/lib/scan/env-config";
import { productionClusterOf, productionRuleOf } from "@/lib/scan/production";
import { engineFor, serverStagedLog } from "./apply";

/** What a staged migration needs, acting as `actor`: the apply engine plus the rollout and token-exchange checks. */
export async function stagedEngineFor(actor: Actor): Promise<StagedContext & { findFinding(findingId: string): Promise<{ finding: Finding; inventory: Inventory }> }> {
  const env = serverEnv();
  const engine = await engineFor(actor);
  const { config } = await scanConfigFromEnv(env, actor.viewer);
  const { inventory } = await getInventory(actor.viewer);
  const tenantId = config.tenantId ?? inventory.subscriptions[0]?.tenantId;
  if (!tenantId) throw new ApplyRequestError("no tenant id is known (SCOPEWISE_TENANT_ID) to verify token exchanges at", 409);
  return {
    ...engine,
    staged: await serverStagedLog(),
    checks: buildMigrationChecks(engine.kube!, { authorityHost: env.SCOPEWISE_AUTHORITY_HOST, tenantId, ...(config.caPem ? { caPem: config.caPem } : {}) }),
    rolloutDeadlineMs: env.SCOPEWISE_ROLLOUT_TIMEOUT_SECONDS * 1000,
  };
}

/** The cluster a staged migration writes to, by name, when it is production: the typed confirmation. */
export function productionClusterOfMigration(clusterId: string, inventory: Inventory): string | undefined {
  return productionClusterOf({ clusterId }, { steps: [] }, inventory, productionRuleOf(serverEnv()));
}

/**
 * Runs the migration in this process without holding the request: people follow it through
 * GET /api/changes/staged/{id}. When it ends (done, stopped, paused) the server rescans as the
 * actor, so the top bar and the findings show the state it left.
 */
function runInBackground(changeId: string, ctx: StagedContext, actor: Actor): void {
  rescanning.add(changeId);
  void runStagedMigration(changeId, ctx)
    .catch((err: unknown) => {
      // The change stays pending under this process; reconcile reports it as needs-reconcile, to resume.
      console.error(`staged migration ${changeId} stopped unexpectedly: ${(err as Error).message}`);
    })
    .then(() => refreshInventory(actor.viewer))
    .catch(() => undefined)
    .finally(() => rescanning.delete(changeId));
}

/** Migrations this process runs or rescans after: their progress is not final until the rescan is stored. */
const rescanning: Set<string> = ((globalThis as { __scopewiseStagedRuns?: Set<string> }).__scopewiseStagedRuns ??= new Set());

export async function launchStagedMigration(actor: Actor, finding: Finding, inventory: Inventory, bindings: readonly string[], ctx: StagedContext): Promise<string> {
  const changeId = await startStagedMigration(finding, inventory, bindings, ctx);
  runInBackground(changeId, ctx, actor);
  return changeId;
}

export async function relaunchStagedMigration(actor: Actor, changeId: string, ctx: StagedContext): Promise<void> {
  await resumeStagedMigration(changeId, ctx);
  runInBackground(changeId, ctx, actor);
}

/** The migration's progress; `settling` while this process still runs it or rescans after it (the scan time then changes). */
export async function stagedProgressOf(changeId: string, ctx: Pick<StagedContext, "audit" | "staged" | "visible">): Promise<StagedProgressView & { settling: boolean }> {
  const change = await ctx.audit.get(changeId);
  const record = change && (await ctx.staged.get(changeId));
  if (!change || !record || (ctx.visible && !ctx.visible(change))) throw new ApplyRequestError(`no staged migration ${changeId}`, 404);
  return { ...buildStagedProgress(record, change), settling: rescanning.has(changeId) };
}
