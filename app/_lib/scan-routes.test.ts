import { describe, expect, it, vi } from "vitest";
import { ConfigurationError } from "@/lib/env";
import { InventoryUnavailableError, ScanPendingError, SignInRequiredError } from "@/lib/scan/load";
import type { JobView } from "@/lib/scan/job-view";
import { StoreError } from "@/lib/store/db";

vi.mock("server-only", () => ({}));
const { scanErrorResponse } = await import("./scan-routes");

const job = { id: "0b1e7d0e-0d4c-4d8b-9a51-3c1f2b6a7e11", state: "running", progress: { summary: "cluster 3 of 5" } } as unknown as JobView;

/** Every scan API (lists, exports, controls, change actions) answers these failures the same way. */
describe("scanErrorResponse", () => {
  it.each([
    ["no sign-in", new SignInRequiredError(), 401, /sign in first/, null],
    ["the first scan still running", new ScanPendingError(job), 503, /first scan is running \(cluster 3 of 5\); try again when it completes/, "5"],
    ["no scan to show", new InventoryUnavailableError("the tenant could not be read"), 503, /the tenant could not be read/, null],
    ["the store", new StoreError("database is locked", "/var/lib/scopewise/scopewise.db"), 503, /database is locked/, null],
    ["configuration", new ConfigurationError("SCOPEWISE_TENANT_ID is not set"), 503, /SCOPEWISE_TENANT_ID/, null],
  ])("answers %s with its own status and message", async (_what, err, status, message, retryAfter) => {
    const res = scanErrorResponse(err, "exporting the list");
    expect(res.status).toBe(status);
    expect((await res.json()).error).toMatch(message);
    expect(res.headers.get("retry-after")).toBe(retryAfter);
  });

  it("hides anything else behind a 500 that names what failed", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const res = scanErrorResponse(new Error("secret detail"), "exporting the list");
    expect(res.status).toBe(500);
    expect(JSON.stringify(await res.json())).not.toContain("secret detail");
    expect(log).toHaveBeenCalled();
  });

  it("gives the running job, so a client can follow it", async () => {
    expect((await scanErrorResponse(new ScanPendingError(job), "x").json()).job).toMatchObject({ id: job.id });
  });
});
