import { beforeEach, describe, expect, it, vi } from "vitest";
import { stubDemoEnv } from "@/lib/testing/demo-env";

stubDemoEnv();

const findingsFor = vi.fn();
vi.mock("@/lib/scan/history", () => ({ findingsFor: (...a: unknown[]) => findingsFor(...a) }));

const { GET } = await import("./route");
const get = (query = "") => GET(new Request(`http://localhost:3100/api/findings${query}`));

beforeEach(() => findingsFor.mockReset());

describe("GET /api/findings", () => {
  it("passes the chosen scan and comparison through, validated", async () => {
    findingsFor.mockResolvedValue({ status: "ready", view: { scanId: 7, stale: false, findings: [], resolved: [] } });
    const res = await get("?scanId=7&compareTo=3");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ scanId: 7, stale: false, findings: [], resolved: [] });
    expect(findingsFor).toHaveBeenCalledWith({ kind: "server" }, { scanId: 7, compareTo: 3 });
  });

  it("answers 422 naming a bad scan id or an unknown parameter", async () => {
    const bad = await get("?scanId=-1");
    expect(bad.status).toBe(422);
    expect((await bad.json()).issues).toEqual(["scanId: must be a scan id (a positive integer)"]);
    expect((await get("?scan=1")).status).toBe(422);
    expect(findingsFor).not.toHaveBeenCalled();
  });

  it("answers 503 with the running job before the first scan completes (never an empty list), and 404 for a scan that is not the caller's", async () => {
    findingsFor.mockResolvedValue({ status: "pending", job: { id: "j", state: "running" } });
    const pending = await get();
    expect(pending.status).toBe(503);
    expect(await pending.json()).toEqual({ error: "the first scan is still running", job: { id: "j", state: "running" } });
    expect(pending.headers.get("retry-after")).toBe("5");
    findingsFor.mockResolvedValue({ status: "not-found", message: "There is no scan 9 of what you can see." });
    expect((await get("?scanId=9")).status).toBe(404);
  });
});
