import { afterEach, describe, expect, it } from "vitest";
import { CoreV1Api, KubeConfig, KubernetesObjectApi, PatchStrategy, type KubernetesObject } from "@kubernetes/client-node";
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

  it("a paged list that spans a rollout step still continues (the rollout waits for the list's next request without continue)", async () => {
    const kc = await cluster({ rollout: { msPerPod: 100 } });
    await apply(kc, newTemplate);
    const core = kc.makeApiClient(CoreV1Api);
    const first = await core.listNamespacedPod({ namespace: "default", limit: 1 });
    await new Promise((r) => setTimeout(r, 250));
    const rest = await core.listNamespacedPod({ namespace: "default", limit: 100, _continue: first.metadata!._continue! });
    expect(rest.items.length).toBeGreaterThan(0);
    expect((await readRolloutStatus(kc, reports)).done).toBe(true);
  });

  it("msPerPod 0 keeps the old behaviour: the new pods are all there as soon as the apply returns", async () => {
    const kc = await cluster({ rollout: { msPerPod: 0 } });
    await apply(kc, newTemplate);
    expect(await readRolloutStatus(kc, reports)).toMatchObject({ done: true, updated: 2 });
  });
});

describe("StatefulSet and DaemonSet rollouts in the emulator", () => {
  it("replace pods in place, report revisions and scheduled counts, and finish", async () => {
    const tenant = buildMigrationTenant();
    const objects = tenant.kubernetes![ids.aks1.toLowerCase()]!;
    const owned = (kind: string, owner: string, name: string) => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, namespace: "default", uid: `uid-${name}`, ownerReferences: [{ apiVersion: "apps/v1", kind, name: owner, uid: `uid-${owner}`, controller: true }] },
      spec: { containers: [{ name: "c", image: "img:1" }] },
    });
    objects.push(
      { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "db", namespace: "default", uid: "uid-db" }, spec: { replicas: 2, selector: { matchLabels: { app: "db" } }, template: { metadata: { labels: { app: "db" } } } } },
      owned("StatefulSet", "db", "db-0"),
      owned("StatefulSet", "db", "db-1"),
      { apiVersion: "apps/v1", kind: "DaemonSet", metadata: { name: "agent", namespace: "default", uid: "uid-agent" }, spec: { selector: { matchLabels: { app: "agent" } }, template: { metadata: { labels: { app: "agent" } } } } },
      owned("DaemonSet", "agent", "agent-a"),
      owned("DaemonSet", "agent", "agent-b"),
    );
    h = await startEmulator({ tenant, rollout: { msPerPod: 200 } });
    const kc = new KubeConfig();
    kc.loadFromString(h.kubeconfig());
    kc.setCurrentContext("aks1");
    const db = { kind: "StatefulSet", namespace: "default", name: "db" } as const;
    const agent = { kind: "DaemonSet", namespace: "default", name: "agent" } as const;
    expect(await readRolloutStatus(kc, db)).toMatchObject({ done: true, desired: 2 });
    expect(await readRolloutStatus(kc, agent)).toMatchObject({ done: true, desired: 2, updated: 2, available: 2 });

    for (const [kind, name] of [["StatefulSet", "db"], ["DaemonSet", "agent"]] as const) {
      await apply(kc, { apiVersion: "apps/v1", kind, metadata: { name, namespace: "default" }, spec: { template: { metadata: { labels: { app: name, "azure.workload.identity/use": "true" } } } } });
    }
    expect((await readRolloutStatus(kc, db)).done).toBe(false);
    expect(await readRolloutStatus(kc, agent)).toMatchObject({ done: false, desired: 2, available: 1 });
    const sts = await KubernetesObjectApi.makeApiClient(kc).read({ apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "db", namespace: "default" } });
    const status = (sts as unknown as { status: { currentRevision: string; updateRevision: string } }).status;
    expect(status.currentRevision).not.toBe(status.updateRevision);

    const until = Date.now() + 5000;
    while (Date.now() < until && !((await readRolloutStatus(kc, db)).done && (await readRolloutStatus(kc, agent)).done)) await new Promise((r) => setTimeout(r, 50));
    expect(await readRolloutStatus(kc, db)).toMatchObject({ done: true, updated: 2 });
    expect(await readRolloutStatus(kc, agent)).toMatchObject({ done: true, updated: 2, available: 2 });
    const pods = await listPodsOf(kc, db);
    expect(pods.map((p) => p.metadata.name).sort()).toEqual(["db-0", "db-1"]);
    expect(pods.every((p) => p.metadata.labels?.["azure.workload.identity/use"] === "true")).toBe(true);
  });
});
