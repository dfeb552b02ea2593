import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ids, T } from "@/emulator/testdata/tenant";
import { LinkMechanism } from "@/lib/model/types";
import { normalizeId } from "@/lib/model/scope";
import { AuditLog, ChangeStatus, StepStatus } from "@/lib/store/audit";
import { openStore } from "@/lib/store/db";
import { finishChange, reconcile, undoChange } from "./apply";
import { buildMigrationTenant } from "./testdata/migration-tenant";
import { startHarness, type Harness } from "./testdata/harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ tenant: buildMigrationTenant() });
}, 60_000);
afterAll(async () => {
  await h?.close();
});

/** Runs crash-child.ts in its own process; resolves with how it ended. */
function runChild(inputFile: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", path.join(__dirname, "testdata/crash-child.ts"), inputFile], {
      cwd: path.resolve(__dirname, "../../.."),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve({ code, signal, output }));
  });
}

const reportsId = `${ids.aks1}/namespaces/default/Deployment/reports`;

describe("a process killed between two writes", () => {
  it("leaves a pending change that reconcile reports on restart; finish completes it, undo reverses it", async () => {
    const { inventory, findings } = await h.scan();
    const finding = findings.find((f) => f.ruleId === "pod-identity-deprecated" && f.clusterId === ids.aks1)!;
    const input = path.join(h.dataDir, "crash-input.json");
    writeFileSync(input, JSON.stringify({ emulator: { url: h.emu.url, caPem: h.emu.caPem, tenantId: h.emu.tenantId, clients: h.emu.clients }, dataDir: h.dataDir, inventory, finding, planId: "migrate-to-workload-identity", killAfter: 2 }));
    const child = await runChild(input);
    expect(child.signal, child.output).toBe("SIGKILL");

    // "Restart": a new connection to the same store file.
    const audit = new AuditLog(await openStore({ dataDir: h.dataDir, busyTimeoutMs: 2000 }));
    const unfinished = await reconcile(audit);
    expect(unfinished).toHaveLength(1);
    expect(unfinished[0]).toMatchObject({ done: [1, 2], uncertain: [], notStarted: [3, 4, 5] });
    expect(unfinished[0]!.change).toMatchObject({ status: ChangeStatus.NeedsReconcile, actor: "crashing@scopewise", error: expect.stringContaining("stopped before it finished") });
    // Half applied in Azure and the cluster: FIC and ServiceAccount exist, the pods still use pod identity.
    const half = await h.scan();
    expect(half.inventory.federatedCredentials.some((f) => f.subject === "system:serviceaccount:default:reports")).toBe(true);
    expect(half.inventory.links.find((l) => normalizeId(l.workloadId) === normalizeId(reportsId))!.mechanism).toBe(LinkMechanism.PodIdentity);

    const ctx = { azure: h.azure, kube: h.kube, audit, actor: "operator@scopewise", subscriptionId: T.sub1 };
    const finished = await finishChange(unfinished[0]!.change.id, ctx);
    expect(finished.status).toBe(ChangeStatus.Applied);
    expect((await audit.get(unfinished[0]!.change.id))!.steps.map((s) => s.status)).toEqual([StepStatus.Done, StepStatus.Done, StepStatus.Done, StepStatus.Done, StepStatus.Done]);
    const done = await h.scan();
    // The last AzureIdentity on the cluster is gone, so the cluster-level finding is resolved.
    expect(done.findings.map((f) => f.id)).not.toContain(finding.id);
    expect(done.inventory.links.find((l) => normalizeId(l.workloadId) === normalizeId(reportsId))).toMatchObject({ mechanism: LinkMechanism.WorkloadIdentity, complete: true });
    expect(await reconcile(audit)).toEqual([]);

    const undone = await undoChange(unfinished[0]!.change.id, ctx);
    expect(undone.status).toBe(ChangeStatus.Applied);
    const back = await h.scan();
    expect(back.findings.map((f) => f.id)).toContain(finding.id);
    expect(back.inventory.federatedCredentials.map((f) => f.id).sort()).toEqual(inventory.federatedCredentials.map((f) => f.id).sort());
  }, 90_000);
});
