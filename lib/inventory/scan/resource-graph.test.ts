import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type EmulatorHandle } from "@/emulator/server";
import { scanConfigForEmulator } from "@/lib/scan/connection";
import { generateTenant, TenantShape } from "@/lib/tenant/generate";
import { collectTenant } from "./index";

describe("the Resource Graph path's federated-credential lists", () => {
  let emulator: EmulatorHandle;
  let identities = 0;
  beforeAll(async () => {
    // Role assignments over several 1,000-row pages, read one after the other; resources on one page.
    const { tenant } = generateTenant({ shape: TenantShape.Adversarial, subscriptions: 20, assignments: 6_000, clusters: 2, pods: 100, identities: 240, seed: 7 });
    identities = tenant.resources.filter((r) => r.type?.toLowerCase() === "microsoft.managedidentity/userassignedidentities").length;
    emulator = await startEmulator({ tenant, pageSize: 1000, latencyMs: 40 });
  });
  afterAll(async () => {
    await emulator?.close();
  });

  it("start while Resource Graph pages are still being read, and run wider than the subscription concurrency", async () => {
    emulator.resetCounts();
    let graphPagesAtFirstCredentialList: number | undefined;
    let widest = 0;
    let last = 0;
    const poll = setInterval(() => {
      const counts = emulator.counts();
      const lists = counts["arm:federatedIdentityCredentials"] ?? 0;
      if (lists > 0 && graphPagesAtFirstCredentialList === undefined) graphPagesAtFirstCredentialList = counts["arm:resourceGraph"] ?? 0;
      // Requests answered within one latency period: how many ran side by side.
      widest = Math.max(widest, lists - last);
      last = lists;
    }, 40);
    const raw = await collectTenant(scanConfigForEmulator(emulator, { resourceGraph: "always", concurrency: 1 }));
    clearInterval(poll);
    const counts = emulator.counts();
    expect(raw.errors).toEqual([]);
    expect(counts["arm:federatedIdentityCredentials"]).toBe(identities);
    expect(graphPagesAtFirstCredentialList).toBeLessThan(counts["arm:resourceGraph"]!);
    // With concurrency 1 the lists used to run one at a time; the per-host limit is what bounds them now.
    expect(widest).toBeGreaterThan(2);
  }, 60_000);
});
