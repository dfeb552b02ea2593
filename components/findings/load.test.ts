import { beforeEach, describe, expect, it, vi } from "vitest";
import type { JobView } from "@/lib/scan/job-view";
import { InventoryUnavailableError, ScanPendingError, SignInRequiredError } from "@/lib/scan/load";

const redirect = vi.fn((to: string) => {
  throw new Error(`NEXT_REDIRECT ${to}`);
});
const getCurrentScan = vi.fn();
const getInventory = vi.fn();
vi.mock("next/navigation", () => ({ redirect: (to: string) => redirect(to) }));
vi.mock("@/lib/scan/current-scan", () => ({ getCurrentScan: () => getCurrentScan() }));
vi.mock("@/lib/scan/load", async (importOriginal) => ({ ...(await importOriginal<object>()), getInventory: () => getInventory() }));

const { loadCurrentScan } = await import("./load");
const { loadInventory } = await import("@/app/_lib/inventory");

beforeEach(() => vi.clearAllMocks());

describe("the findings and inventory loaders behave alike", () => {
  it("send a request without a session to sign-in", async () => {
    getCurrentScan.mockRejectedValue(new SignInRequiredError());
    getInventory.mockRejectedValue(new SignInRequiredError());
    await expect(loadCurrentScan()).rejects.toThrow("NEXT_REDIRECT /auth/sign-in");
    await expect(loadInventory()).rejects.toThrow("NEXT_REDIRECT /auth/sign-in");
    expect(redirect).toHaveBeenCalledTimes(2);
  });

  it("return an unreachable scan source as a message, and rethrow anything else", async () => {
    getCurrentScan.mockRejectedValue(new InventoryUnavailableError("Could not scan the demo emulator"));
    getInventory.mockRejectedValue(new InventoryUnavailableError("Could not scan the demo emulator"));
    expect(await loadCurrentScan()).toEqual({ ok: false, message: "Could not scan the demo emulator" });
    expect(await loadInventory()).toEqual({ ok: false, message: "Could not scan the demo emulator" });
    getCurrentScan.mockRejectedValue(new TypeError("bug"));
    await expect(loadCurrentScan()).rejects.toThrow("bug");
    expect(redirect).not.toHaveBeenCalled();
  });

  it("return the first scan's progress while it runs, instead of waiting for it", async () => {
    const job = { id: "j1", state: "running", progress: { summary: "subscription 2 of 3" } } as unknown as JobView;
    getCurrentScan.mockRejectedValue(new ScanPendingError(job));
    getInventory.mockRejectedValue(new ScanPendingError(job));
    expect(await loadCurrentScan()).toEqual({ ok: false, message: "the first scan is running (subscription 2 of 3)", pending: job });
    expect(await loadInventory()).toMatchObject({ ok: false, pending: { id: "j1" } });
  });
});
