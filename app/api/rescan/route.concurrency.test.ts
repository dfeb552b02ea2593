import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createCsrfToken } from "@/app/_lib/csrf";
import { jobsStore } from "@/lib/scan/server-jobs";
import { waitForJob } from "@/lib/scan/jobs";
import { startEmulator, type EmulatorHandle } from "@/emulator/server";
import { loadTenantFile } from "@/lib/tenant/schema";

// The demo against a real emulator: every rescan is a full scan through the SDK clients.
let h: EmulatorHandle;
const dataDir = mkdtempSync(join(tmpdir(), "scopewise-rescan-"));
let POST: (request: Request) => Promise<Response>;
const client = { clientId: "5c4a1e2b-6f7d-4a8e-9b0c-1d2e3f405162", clientSecret: "scopewise-app-secret" };

beforeAll(async () => {
  h = await startEmulator({ tenant: await loadTenantFile(new URL("../../../fixtures/tenants/demo.json", import.meta.url).pathname), clients: [client] });
  vi.stubEnv("SCOPEWISE_MODE", "demo");
  vi.stubEnv("SCOPEWISE_TENANT_ID", h.tenantId);
  vi.stubEnv("SCOPEWISE_CLIENT_ID", client.clientId);
  vi.stubEnv("SCOPEWISE_CLIENT_SECRET", client.clientSecret);
  vi.stubEnv("SCOPEWISE_AUTHORITY_HOST", h.authorityHost);
  vi.stubEnv("SCOPEWISE_ARM_ENDPOINT", h.armEndpoint);
  vi.stubEnv("SCOPEWISE_GRAPH_ENDPOINT", h.graphEndpoint);
  vi.stubEnv("SCOPEWISE_CA_FILE", h.caFile);
  vi.stubEnv("SCOPEWISE_DATA_DIR", dataDir);
  ({ POST } = await import("./route"));
}, 60_000);
afterAll(async () => {
  vi.unstubAllEnvs();
  await h?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const csrf = createCsrfToken();
const rescan = () =>
  POST(
    new Request("http://localhost:3000/api/rescan", {
      method: "POST",
      body: "{}",
      headers: { host: "localhost:3000", origin: "http://localhost:3000", cookie: `scopewise_csrf=${csrf}`, "x-csrf-token": csrf, "content-type": "application/json" },
    }),
  );
const served = () => Object.values(h.counts()).reduce((a, b) => a + b, 0);

const finished = async (jobId: string) => waitForJob(await jobsStore(), jobId, 60_000);

describe("POST /api/rescan under load", () => {
  it("20 parallel rescans of one person start one scan job, all answer with its id, and it makes one scan's worth of requests", async () => {
    h.resetCounts();
    const single = await rescan();
    expect(single.status).toBe(202);
    const first = (await single.json()) as { jobId: string };
    expect((await finished(first.jobId)).state).toBe("succeeded");
    const oneScan = served();
    expect(oneScan).toBeGreaterThan(20);

    h.resetCounts();
    const answers = await Promise.all(Array.from({ length: 20 }, rescan));
    const bodies = await Promise.all(answers.map((r) => r.json() as Promise<{ jobId: string }>));
    // One started the job (202); the others joined it (200).
    expect(answers.map((r) => r.status).sort()).toEqual([...Array(19).fill(200), 202]);
    expect(new Set(bodies.map((b) => b.jobId)).size).toBe(1);
    expect(bodies[0]!.jobId).not.toBe(first.jobId);
    await finished(bodies[0]!.jobId);
    // At most one full scan's requests (a rescan reuses what it can prove unchanged, so it may be fewer).
    expect(served()).toBeGreaterThan(0);
    expect(served()).toBeLessThanOrEqual(oneScan);
  }, 120_000);

  it("refuses a person's scans beyond the limit with 429 and Retry-After, without scanning", async () => {
    // Two scans started above; the third is allowed, the fourth within the minute is not.
    const third = await rescan();
    expect(third.status).toBe(202);
    await finished(((await third.json()) as { jobId: string }).jobId);
    h.resetCounts();
    const refused = await rescan();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(refused.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect((await refused.json()).error).toMatch(/too many scans/);
    expect(served()).toBe(0);
  }, 120_000);
});
