import { afterEach, describe, expect, it } from "vitest";
import { KubeConfig, KubernetesObjectApi, PatchStrategy, type KubernetesObject } from "@kubernetes/client-node";
import { ROLLOUT_FAULT_ANNOTATION } from "@/emulator/rollouts";
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from "@/emulator/server";
import { buildMigrationTenant } from "@/lib/remediation/apply/testdata/migration-tenant";
import { ids } from "@/emulator/testdata/tenant";
import { listPodsOf, readRolloutStatus, type RolloutStatus } from "./rollout";

const reports = { kind: "Deployment", namespace: "default", name: "reports" } as const;
const newTemplate = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "reports", namespace: "default" }, spec: { template: { metadata: { labels: { "azure.workload.identity/use": "true" } }, spec: { serviceAccountName: "reports" } } } };

let h: EmulatorHandle | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function cluster(options: Partial<EmulatorOptions>, crash = false): Promise<KubeConfig> {
  const tenant = buildMigrationTenant();
  if (crash) {
    const d = tenant.kubernetes![ids.aks1.toLowerCase()]!.find((o) => o.kind === "Deployment" && o.metadata.name === "reports")!;
    d.metadata.annotations = { ...d.metadata.annotations, [ROLLOUT_FAULT_ANNOTATION]: "crash" };
  }
  h = await startEmulator({ tenant, ...options });
  const kc = new KubeConfig();
  kc.loadFromString(h.kubeconfig());
  kc.setCurrentContext("aks1");
  return kc;
}

const apply = (kc: KubeConfig, manifest: object) => KubernetesObjectApi.makeApiClient(kc).patch(manifest as KubernetesObject, undefined, undefined, "scopewise", true, PatchStrategy.ServerSideApply);

/** Polls until done or failed, recording every distinct message on the way. */
async function watch(kc: KubeConfig, limitMs: number): Promise<{ last: RolloutStatus; seen: string[] }> {
  const seen: string[] = [];
  const until = Date.now() + limitMs;
  for (;;) {
    const s = await readRolloutStatus(kc, reports);
    if (seen.at(-1) !== s.message) seen.push(s.message);
    if (s.done || s.failed || Date.now() > until) return { last: s, seen };
    await new Promise((r) => setTimeout(r, 40));
  }
}

describe("readRolloutStatus against the emulator (AppsV1Api)", () => {
  it("a workload nothing rolls is done: every replica updated and available", async () => {
    const kc = await cluster({});
    expect(await readRolloutStatus(kc, reports)).toMatchObject({ done: true, desired: 2, updated: 2, available: 2 });
    expect(await readRolloutStatus(kc, { kind: "DaemonSet", namespace: "kube-system", name: "no-such-agent" }).catch((e: unknown) => e)).toMatchObject({ code: 404 });
  });

  it("a pod-template change rolls out over time: not done at first, new pods appear one by one, then done", async () => {
    const kc = await cluster({ rollout: { msPerPod: 250 } });
    const oldPods = (await listPodsOf(kc, reports)).map((p) => p.metadata.name);
    await apply(kc, newTemplate);
    const first = await readRolloutStatus(kc, reports);
    expect(first.done).toBe(false);
    expect(first.message).toBe("1 of 2 new pods updated");
    const { last, seen } = await watch(kc, 5000);
    expect(last).toMatchObject({ done: true, desired: 2, updated: 2, available: 2, message: "2 of 2 new pods available" });
    expect(seen).toContain("1 pod of the old template pending termination");
    const now = await listPodsOf(kc, reports);
    expect(now).toHaveLength(2);
    expect(now.map((p) => p.metadata.name).filter((n) => oldPods.includes(n))).toEqual([]);
    expect(now.every((p) => (p.spec as { serviceAccountName?: string }).serviceAccountName === "reports")).toBe(true);
  });

  it("the crash fault: the new pod never becomes ready, and the Deployment fails with ProgressDeadlineExceeded after the deadline", async () => {
    const kc = await cluster({ rollout: { msPerPod: 50, progressDeadlineMs: 600 } }, true);
    await apply(kc, newTemplate);
    const early = await readRolloutStatus(kc, reports);
    expect(early).toMatchObject({ done: false, updated: 1 });
    expect(early.failed).toBeUndefined();
    const pods = await listPodsOf(kc, reports);
    const fresh = pods.filter((p) => (p.spec as { serviceAccountName?: string }).serviceAccountName === "reports");
    expect(fresh).toHaveLength(1);
    expect((fresh[0]!.status as { containerStatuses: { state: { waiting: { reason: string } } }[] }).containerStatuses[0]!.state.waiting.reason).toBe("CrashLoopBackOff");
    const { last } = await watch(kc, 3000);
    expect(last.done).toBe(false);
    expect(last.failed).toMatch(/^ReplicaSet "reports-[a-z0-9]+" has timed out progressing\.$/);
    expect((await listPodsOf(kc, reports)).length).toBe(3);
  });

  it("msPerPod 0 keeps the old behaviour: the new pods are all there as soon as the apply returns", async () => {
    const kc = await cluster({ rollout: { msPerPod: 0 } });
    await apply(kc, newTemplate);
    expect(await readRolloutStatus(kc, reports)).toMatchObject({ done: true, updated: 2 });
  });
});
