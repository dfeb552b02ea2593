import type { TokenExchangeResult } from "@/lib/azure/token-exchange";
import { exchangeServiceAccountToken } from "@/lib/azure/token-exchange";
import type { KubeAccess } from "@/lib/kubernetes/kubeconfig";
import { readRolloutStatus } from "@/lib/kubernetes/rollout";
import { requestServiceAccountToken } from "@/lib/kubernetes/service-account-token";
import { RolloutKind, type RolloutRef, type RolloutStatus } from "@/lib/model/rollout";
import type { MigrationWorkload } from "@/lib/model/staged-migration";
import { WORKLOAD_IDENTITY_AUDIENCE } from "@/lib/rules/shared/cluster-plans";

/**
 * The reads a staged migration judges its phases by, bound to a cluster's Kubernetes API and
 * the tenant's Entra authority. Injected, so the engine's order of phases can be tested alone;
 * buildMigrationChecks binds the real adapters.
 */
export interface MigrationChecks {
  rolloutStatus(clusterId: string, ref: RolloutRef): Promise<RolloutStatus>;
  serviceAccountToken(clusterId: string, input: { namespace: string; serviceAccount: string; audience: string; expirationSeconds?: number }): Promise<{ token: string; expiresAt: string }>;
  exchangeToken(input: { clientId: string; assertion: string }): Promise<TokenExchangeResult>;
}

export function buildMigrationChecks(kube: KubeAccess, entra: { authorityHost: string; tenantId: string; caPem?: string }): MigrationChecks {
  return {
    rolloutStatus: async (clusterId, ref) => readRolloutStatus(await kube(clusterId), ref),
    serviceAccountToken: async (clusterId, input) => requestServiceAccountToken(await kube(clusterId), input),
    exchangeToken: (input) => exchangeServiceAccountToken({ ...entra, ...input }),
  };
}

/** A check's outcome: done, or the reason the migration stops, in words. */
export type CheckOutcome = { ok: true; message: string } | { ok: false; message: string };

export interface CheckTiming {
  deadlineMs: number;
  pollMs: number;
  sleep(ms: number): Promise<void>;
  now(): number;
}

const ROLLING = new Set<string>(Object.values(RolloutKind));
const label = (w: MigrationWorkload) => `${w.namespace}/${w.name}`;

/**
 * Polls each workload's rollout until every new pod is available, reporting each change of
 * state ("Waiting for rollout of payments/api: 2 of 3 new pods available"). A rollout that
 * fails, or does not finish before the deadline, stops the migration. Workloads that are not
 * Deployments, StatefulSets or DaemonSets do not roll (their step was left to a person).
 */
export async function waitForRollouts(
  checks: MigrationChecks,
  clusterId: string,
  workloads: readonly MigrationWorkload[],
  timing: CheckTiming,
  report: (message: string) => Promise<void>,
): Promise<CheckOutcome> {
  const done: string[] = [];
  for (const w of workloads.filter((x) => ROLLING.has(x.kind))) {
    const deadline = timing.now() + timing.deadlineMs;
    let last = "";
    for (;;) {
      let status: RolloutStatus;
      try {
        status = await checks.rolloutStatus(clusterId, { kind: w.kind as RolloutKind, namespace: w.namespace, name: w.name });
      } catch (err) {
        return { ok: false, message: `Could not read the rollout of ${w.kind} ${label(w)}: ${(err as Error).message}` };
      }
      if (status.failed) return { ok: false, message: `Rollout of ${w.kind} ${label(w)} failed: ${status.failed}` };
      if (status.done) {
        done.push(`${label(w)} (${status.message})`);
        break;
      }
      const message = `Waiting for rollout of ${label(w)}: ${status.message}`;
      if (message !== last) await report(message);
      last = message;
      if (timing.now() >= deadline) {
        return { ok: false, message: `Rollout of ${w.kind} ${label(w)} did not finish within ${Math.round(timing.deadlineMs / 1000)} s (last seen: ${status.message})` };
      }
      await timing.sleep(timing.pollMs);
    }
  }
  return { ok: true, message: done.length ? `Rollout finished for ${done.join(", ")}` : "No workload to roll" };
}

/**
 * Proves the new pods can sign in: a ServiceAccount token for api://AzureADTokenExchange, as
 * the webhook projects it, exchanged at Entra for the identity's client id. Entra takes a few
 * seconds to see a new federated credential, so a refusal is retried until `timing.deadlineMs`
 * has passed; then its reason (AADSTS code and sentence) stops the migration. The token itself
 * goes nowhere else.
 */
export async function verifyTokenExchanges(checks: MigrationChecks, clusterId: string, clientId: string | undefined, workloads: readonly MigrationWorkload[], timing: CheckTiming): Promise<CheckOutcome> {
  if (!clientId) return { ok: false, message: "The binding's identity has no known client id, so no token exchange can be tried" };
  const verified: string[] = [];
  for (const w of workloads) {
    const deadline = timing.now() + timing.deadlineMs;
    for (;;) {
      let assertion: string;
      try {
        ({ token: assertion } = await checks.serviceAccountToken(clusterId, { namespace: w.namespace, serviceAccount: w.serviceAccount, audience: WORKLOAD_IDENTITY_AUDIENCE, expirationSeconds: 600 }));
      } catch (err) {
        return { ok: false, message: `Could not get a token for ServiceAccount ${w.namespace}/${w.serviceAccount}: ${(err as Error).message}` };
      }
      const answer = await checks.exchangeToken({ clientId, assertion });
      if (answer.ok) break;
      if (timing.now() >= deadline) return { ok: false, message: `Entra refused the token exchange for ${label(w)} (${answer.code}): ${answer.message}` };
      await timing.sleep(timing.pollMs);
    }
    verified.push(label(w));
  }
  return { ok: true, message: verified.length ? `Token exchange verified for ${verified.join(", ")}` : "No workload to verify" };
}
