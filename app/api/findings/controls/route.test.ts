import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { demoScan } from "@/lib/testing/demo-scan";
import { stubDemoEnv } from "@/lib/testing/demo-env";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scopewise-controls-"));
stubDemoEnv({ SCOPEWISE_DATA_DIR: dir });
const { inventory, findings } = demoScan();

vi.mock("@/lib/auth/actor", () => ({
  requireActor: vi.fn(async (request: Request) =>
    request.headers.get("x-test-no-session")
      ? { ok: false, response: Response.json({ error: "sign in first" }, { status: 401 }) }
      : { ok: true, actor: { kind: "server", id: "server", displayName: "server", viewer: { kind: "server" } } },
  ),
}));
vi.mock("@/lib/scan/current-scan", () => ({ getCurrentScan: vi.fn(async () => ({ inventory, findings })) }));

const { GET } = await import("./route");
const get = (query = "", headers: Record<string, string> = {}) => GET(new Request(`http://localhost:3100/api/findings/controls${query}`, { headers }));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("GET /api/findings/controls", () => {
  it("answers JSON grouped by control, and CSV as an attachment", async () => {
    const res = await get();
    expect(res.status).toBe(200);
    const body = (await res.json()) as { controls: { key: string; findings: unknown[] }[] };
    expect(body.controls.map((c) => c.key)).toContain("mcsb:PA-7");
    const csv = await get("?format=csv");
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toMatch(/attachment/);
    expect((await csv.text()).split("\r\n")[0]).toMatch(/^benchmark,control,/);
  });

  it("refuses a bad format with 422 and no session with 401", async () => {
    const bad = await get("?format=xml");
    expect(bad.status).toBe(422);
    expect((await bad.json()).issues).toEqual(['format: must be "json" or "csv"']);
    expect((await get("", { "x-test-no-session": "1" })).status).toBe(401);
  });
});
