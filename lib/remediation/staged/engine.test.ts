import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Finding } from "@/lib/model/findings";
import { normalizeId } from "@/lib/model/scope";
import type { Inventory } from "@/lib/model/types";
import { AuditLog, ChangeStatus, StepStatus } from "@/lib/store/audit";
import { openStore } from "@/lib/store/db";
import { PhaseStatus, StagedMigrationLog, StagedState } from "@/lib/store/staged-migrations";
import { finishChange, reconcile, undoChange } from "../apply/apply";
import { startHarness, type Harness } from "../apply/testdata/harness";
import { createFederatedCredential } from "@/lib/azure/identity-writes";
import { readFileSync } from "node:fs";
import { ROLLOUT_FAULT_ANNOTATION } from "@/emulator/rollouts";
import type { TenantFile } from "@/lib/tenant/types";
import { buildMigrationChecks, type MigrationChecks } from "./checks";
import { pauseStagedMigration, resumeStagedMigration, runStagedMigration, startStagedMigration, type StagedContext } from "./engine";
import { buildStagedProgress } from "./progress";

let h: Harness;
/** The demo tenant with settlement-batch's rollouts made to crash (the emulator's fault annotation): its new pods never become ready. */
function demoWithCrashingSettlement(): TenantFile {
  const tenant = JSON.parse(readFileSync("fixtures/tenants/demo.json", "utf8")) as TenantFile;
  for (const objects of Object.values(tenant.kubernetes ?? {})) {
    for (const o of objects) {
      const meta = o.metadata as { name?: string; namespace?: string; annotations?: Record<string, string> } | undefined;
      if (o.kind === "Deployment" && meta?.name === "settlement-batch" && meta.namespace === "payments") meta.annotations = { ...meta.annotations, [ROLLOUT_FAULT_ANNOTATION]: "crash" };
    }
  }
  return tenant;
}

beforeAll(async () => {
  h = await startHarness({ tenant: demoWithCrashingSettlement(), rollout: { msPerPod: 40 } });
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const CHOSEN = ["payments/notifier-binding", "payments/ledger-writer-binding"];
const OTHERS = ["payments/receipts-reader-binding", "payments/settlement-binding", "payments/fx-rates-binding", "reporting/report-builder-binding"];

/**
 * The real checks against the emulator (buildMigrationChecks: rollout status, TokenRequest,
 * Entra's exchange), each call logged in order; `onRollout` runs before each rollout read.
 */
function observedChecks(hooks: { onRollout?: () => Promise<void> } = {}) {
  const real = buildMigrationChecks(h.kube, { authorityHost: h.emu.authorityHost, tenantId: h.emu.tenantId, caPem: h.emu.caPem });
  const calls: string[] = [];
  const checks: MigrationChecks = {
    async rolloutStatus(clusterId, ref) {
      await hooks.onRollout?.();
      const status = await real.rolloutStatus(clusterId, ref);
      calls.push(`rollout ${ref.namespace}/${ref.name}${status.done ? " done" : ""}`);
      return status;
    },
    async serviceAccountToken(clusterId, input) {
      calls.push(`token ${input.namespace}/${input.serviceAccount} ${input.audience}`);
      return real.serviceAccountToken(clusterId, input);
    },
    async exchangeToken(input) {
      const answer = await real.exchangeToken(input);
      calls.push(`exchange ${input.clientId} ${answer.ok ? "ok" : answer.code}`);
      return answer;
    },
  };
  return { checks, calls };
}

/** Consecutive repeats folded: the rollout is polled a varying number of times. */
const folded = (calls: string[]) => calls.filter((c, i) => c !== calls[i - 1]);

async function podIdentityFinding(): Promise<{ finding: Finding; inventory: Inventory }> {
  const { inventory, findings } = await h.scan();
  sub = inventory.subscriptions[0]!.subscriptionId;
  const finding = findings.find((f) => f.ruleId === "pod-identity-deprecated" && f.clusterId?.endsWith("/aks-payments-prod"))!;
  return { finding, inventory };
}

const bindingKeys = (inventory: Inventory, clusterId: string) =>
  inventory.kubernetes.azureIdentityBindings.filter((b) => normalizeId(b.clusterId) === normalizeId(clusterId)).map((b) => `${b.namespace}/${b.name}`);

let sub = "";
const subscriptionId = () => sub;

function context(checks: MigrationChecks, extra: Partial<StagedContext> = {}): StagedContext {
  return { azure: h.azure, kube: h.kube, audit: h.audit, staged: new StagedMigrationLog(h.store), checks, actor: "test@scopewise", subscriptionId: subscriptionId(), rolloutDeadlineMs: 20_000, pollMs: 30, ...extra };
}

/** The objects of the bindings not chosen, as the cluster holds them: what "untouched" compares. */
function untouched(inventory: Inventory) {
  const k8s = inventory.kubernetes;
  const selectors = new Set(k8s.azureIdentityBindings.filter((b) => OTHERS.includes(`${b.namespace}/${b.name}`)).map((b) => b.selector));
  return JSON.stringify({
    bindings: k8s.azureIdentityBindings.filter((b) => OTHERS.includes(`${b.namespace}/${b.name}`)),
    pods: k8s.pods.filter((p) => selectors.has(p.labels["aadpodidbinding"] ?? "")).map((p) => [p.id, p.labels, p.serviceAccountName]),
    controllers: k8s.controllers.filter((c) => selectors.has(c.templateLabels["aadpodidbinding"] ?? "")).map((c) => [c.namespace, c.name, c.templateLabels, c.serviceAccountName]),
  });
}

beforeEach(async () => {
  // Each test starts from the demo tenant as shipped: undo what the previous one left.
  for (const c of await h.audit.list({ limit: 50 })) {
    if (c.kind === "apply" && (c.status === ChangeStatus.Applied || c.status === ChangeStatus.NeedsReconcile)) await undoChange(c.id, context(observedChecks().checks));
  }
});

describe("staged migration against the emulator", () => {
  it("runs each binding's phases in order and moves only the 2 chosen bindings; the other 4 and their pods stay as they were", async () => {
    const { finding, inventory } = await podIdentityFinding();
    expect(bindingKeys(inventory, finding.clusterId!)).toEqual(expect.arrayContaining([...CHOSEN, ...OTHERS]));
    const { checks, calls } = observedChecks();
    const ctx = context(checks);
    const changeId = await startStagedMigration(finding, inventory, CHOSEN, ctx);
    expect(await runStagedMigration(changeId, ctx)).toBe(StagedState.Completed);

    // Order per binding: rollout polled until done, then token + exchange, then (steps) the delete.
    expect(folded(calls)).toEqual([
      "rollout payments/notifier",
      "rollout payments/notifier done",
      "token payments/notifier api://AzureADTokenExchange",
      "exchange c01b74e1-6a6d-53f3-9ef2-7f299d02dada ok",
      "rollout payments/ledger",
      "rollout payments/ledger done",
      "token payments/ledger api://AzureADTokenExchange",
      "exchange 7b7a0436-8ef6-5a71-801b-c24736d01757 ok",
    ]);
    const change = (await h.audit.get(changeId))!;
    expect(change.status).toBe(ChangeStatus.Applied);
    expect(change.steps.every((s) => s.status === StepStatus.Done)).toBe(true);
    const progress = buildStagedProgress((await ctx.staged.get(changeId))!, change);
    expect(progress.bindings.map((b) => b.phases.map((p) => p.status))).toEqual([Array(5).fill(PhaseStatus.Done), Array(5).fill(PhaseStatus.Done)]);
    expect(progress.bindings[0]!.phases[3]!.message).toBe("Token exchange verified for payments/notifier.");
    expect(progress.bindings[0]!.phases[2]!.message).toMatch(/^Rollout finished for payments\/notifier \((\d) of \1 new pods available\)/);

    const after = await h.scan();
    const left = bindingKeys(after.inventory, finding.clusterId!);
    for (const k of CHOSEN) expect(left).not.toContain(k);
    expect(left).toEqual(expect.arrayContaining(OTHERS));
    expect(after.inventory.kubernetes.azureIdentities.map((a) => `${a.namespace}/${a.name}`)).not.toContain("payments/notifier");
    const notifier = after.inventory.links.find((l) => l.workloadId.endsWith("/namespaces/payments/Deployment/notifier"));
    expect(notifier).toMatchObject({ mechanism: "workload-identity" });
    expect(untouched(after.inventory)).toEqual(untouched(inventory));
  }, 90_000);

  it("a refused token exchange (the credential's subject changed under it) stops before any binding is deleted, naming Entra's reason", async () => {
    const { finding, inventory } = await podIdentityFinding();
    const script = observedChecks();
    const ctx = context(script.checks, { exchangeDeadlineMs: 0 });
    const changeId = await startStagedMigration(finding, inventory, CHOSEN, ctx);
    // While the rollout is watched, someone rewrites the new credential to trust another subject.
    const rollout = script.checks.rolloutStatus;
    script.checks.rolloutStatus = async (c, ref) => {
      const fic = (await h.audit.get(changeId))!.steps.find((s) => s.kind === "create-federated-credential")!;
      await createFederatedCredential(h.azure, fic.targetId, { issuer: (fic.operation as { issuer: string }).issuer, subject: "system:serviceaccount:payments:someone-else", audiences: ["api://AzureADTokenExchange"] });
      return rollout(c, ref);
    };
    expect(await runStagedMigration(changeId, ctx)).toBe(StagedState.Stopped);
    const change = (await h.audit.get(changeId))!;
    expect(change.status).toBe(ChangeStatus.NeedsReconcile);
    expect(change.error).toMatch(/^Entra refused the token exchange for payments\/notifier \(AADSTS700213\): AADSTS700213: .*system:serviceaccount:payments:notifier/);
    expect(change.error).toMatch(/Nothing was deleted for AzureIdentityBinding payments\/notifier-binding, AzureIdentityBinding payments\/ledger-writer-binding/);
    // No delete step ran; the second binding was not even started.
    expect(change.steps.filter((s) => s.kind === "kubernetes-delete").map((s) => s.status)).toEqual([StepStatus.Planned, StepStatus.Planned, StepStatus.Planned, StepStatus.Planned]);
    const record = (await ctx.staged.get(changeId))!;
    expect(record.phases.filter((p) => p.binding === CHOSEN[1]).map((p) => p.status)).toEqual(Array(5).fill(PhaseStatus.Planned));
    const after = await h.scan();
    expect(bindingKeys(after.inventory, finding.clusterId!)).toEqual(expect.arrayContaining([...CHOSEN, ...OTHERS]));
  }, 90_000);

  it("a rollout that never finishes (its new pods crash) stops at the deadline before any delete, saying how far it got", async () => {
    const { finding, inventory } = await podIdentityFinding();
    const { checks } = observedChecks();
    const ctx = context(checks, { rolloutDeadlineMs: 2_000 });
    const changeId = await startStagedMigration(finding, inventory, ["payments/settlement-binding", CHOSEN[0]!], ctx);
    const seen: string[] = [];
    const update = ctx.staged.updatePhase.bind(ctx.staged);
    ctx.staged.updatePhase = async (id, i, u) => (u.message && seen.push(u.message), update(id, i, u));
    expect(await runStagedMigration(changeId, ctx)).toBe(StagedState.Stopped);
    const change = (await h.audit.get(changeId))!;
    expect(change.error).toMatch(/^Rollout of Deployment payments\/settlement-batch did not finish within 2 s \(last seen: [^)]*(pending termination|new pods)[^)]*\)/);
    expect(change.error).toMatch(/Nothing was deleted for AzureIdentityBinding payments\/settlement-binding, AzureIdentityBinding payments\/notifier-binding/);
    expect(seen.some((m) => /^Waiting for rollout of payments\/settlement-batch: \d+ (of|pods? of the old template)/.test(m))).toBe(true);
    expect(change.steps.filter((s) => s.kind === "kubernetes-delete").every((s) => s.status === StepStatus.Planned)).toBe(true);
    expect(bindingKeys((await h.scan()).inventory, finding.clusterId!)).toEqual(expect.arrayContaining(["payments/settlement-binding", ...CHOSEN]));
  }, 90_000);

  it("pauses between phases; a new store connection and engine resume at the next phase without repeating a write", async () => {
    const { finding, inventory } = await podIdentityFinding();
    const first = observedChecks();
    let changeId = "";
    const ctx = context(first.checks);
    // The person presses Pause while the first rollout is being watched.
    const rollout = first.checks.rolloutStatus;
    first.checks.rolloutStatus = async (c, ref) => {
      if (first.calls.length === 0) await pauseStagedMigration(changeId, ctx);
      return rollout(c, ref);
    };
    changeId = await startStagedMigration(finding, inventory, CHOSEN, ctx);
    expect(await runStagedMigration(changeId, ctx)).toBe(StagedState.Paused);
    const before = (await h.audit.get(changeId))!;
    const doneBefore = before.steps.filter((s) => s.status === StepStatus.Done).map((s) => [s.seq, s.startedAt, s.finishedAt]);
    expect(doneBefore.length).toBe(3);
    expect(folded(first.calls)).toEqual(["rollout payments/notifier", "rollout payments/notifier done"]);

    // "Restart": another process (owner) on a new connection to the same store file.
    const db = await openStore({ dataDir: h.dataDir, busyTimeoutMs: 2000 });
    try {
      const audit = new AuditLog(db, { owner: "restarted-host:1:x" });
      const staged = new StagedMigrationLog(db);
      expect(await reconcile(audit, { held: await staged.pausedChangeIds() })).toEqual([]);
      expect((await audit.get(changeId))!.status).toBe(ChangeStatus.Pending);
      const second = observedChecks();
      const ctx2 = context(second.checks, { audit, staged });
      await resumeStagedMigration(changeId, ctx2);
      expect(await runStagedMigration(changeId, ctx2)).toBe(StagedState.Completed);
      // It continued at the token exchange of the first binding: its rollout was not watched again.
      expect(second.calls[0]).toBe("token payments/notifier api://AzureADTokenExchange");
      expect(second.calls.filter((c) => c.startsWith("rollout payments/notifier"))).toEqual([]);
      const after = (await audit.get(changeId))!;
      expect(after.status).toBe(ChangeStatus.Applied);
      for (const [seq, startedAt, finishedAt] of doneBefore) expect(after.steps.find((s) => s.seq === seq)).toMatchObject({ startedAt, finishedAt });
    } finally {
      await db.close();
    }
  }, 90_000);

  it("refuses to resume one a process is running, and to pause or resume a finished one", async () => {
    const { finding, inventory } = await podIdentityFinding();
    const script = observedChecks();
    const ctx = context(script.checks);
    let refusal: unknown;
    const changeId = await startStagedMigration(finding, inventory, [CHOSEN[0]!], ctx);
    const rollout = script.checks.rolloutStatus;
    script.checks.rolloutStatus = async (c, ref) => {
      refusal ??= await resumeStagedMigration(changeId, ctx).catch((e: unknown) => e);
      return rollout(c, ref);
    };
    expect(await runStagedMigration(changeId, ctx)).toBe(StagedState.Completed);
    expect(String(refusal)).toMatch(/is running .*only a paused, stopped or interrupted one can be resumed/);
    await expect(pauseStagedMigration(changeId, ctx)).rejects.toThrow(/is completed; only a running one can be paused/);
    await expect(resumeStagedMigration(changeId, ctx)).rejects.toThrow(/is completed/);
    await expect(startStagedMigration(finding, inventory, ["payments/none"], ctx)).rejects.toThrow(/has no binding payments\/none/);
  }, 90_000);

  it("a process that dies mid-phase leaves the change needs-reconcile; resuming continues without repeating done writes", async () => {
    const { finding, inventory } = await podIdentityFinding();
    const script = observedChecks();
    // The store goes away as the rollout phase starts: the process stops there, as if killed.
    class DyingLog extends StagedMigrationLog {
      override async updatePhase(changeId: string, index: number, update: { status: PhaseStatus; message?: string }) {
        if (index === 2) throw new Error("process killed");
        return super.updatePhase(changeId, index, update);
      }
    }
    const ctx = context(script.checks, { staged: new DyingLog(h.store) });
    const changeId = await startStagedMigration(finding, inventory, CHOSEN, ctx);
    await expect(runStagedMigration(changeId, ctx)).rejects.toThrow(/process killed/);

    const [unfinished] = await reconcile(h.audit, { held: await ctx.staged.pausedChangeIds() });
    expect(unfinished).toMatchObject({ change: { id: changeId, status: ChangeStatus.NeedsReconcile }, done: [1, 2, 3] });
    const fresh = context(script.checks);
    expect(buildStagedProgress((await fresh.staged.get(changeId))!, (await h.audit.get(changeId))!).message).toMatch(/^Interrupted \(2 of 10 phases done\)/);
    const doneBefore = (await h.audit.get(changeId))!.steps.filter((s) => s.status === StepStatus.Done).map((s) => [s.seq, s.startedAt]);
    // Finishing it as a one-shot change would run its deletes without the rollout and token checks.
    await expect(finishChange(changeId, fresh)).rejects.toThrow(/is a staged migration; resume it/);
    await resumeStagedMigration(changeId, fresh);
    expect(await runStagedMigration(changeId, fresh)).toBe(StagedState.Completed);
    const after = (await h.audit.get(changeId))!;
    for (const [seq, startedAt] of doneBefore) expect(after.steps.find((s) => s.seq === seq)!.startedAt).toBe(startedAt);
    expect(after.status).toBe(ChangeStatus.Applied);
  }, 90_000);
});
