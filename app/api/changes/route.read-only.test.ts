import { describe, expect, it, vi } from "vitest";
import { stubDemoEnv } from "@/lib/testing/demo-env";
import { createCsrfToken } from "@/app/_lib/csrf";

// A demo served with --read-only: the routes that change Azure are gone, the audit log stays readable.
stubDemoEnv({ SCOPEWISE_READ_ONLY: "true" });

const engineFor = vi.fn();
vi.mock("@/lib/scan/apply", () => ({
  engineFor: (...a: unknown[]) => engineFor(...a),
  rescanAndVerify: vi.fn(),
  listChanges: async () => ({ changes: [{ id: "c1" }], unfinished: [] }),
}));

const { POST, GET } = await import("./route");
const undo = await import("./[id]/undo/route");
const finish = await import("./[id]/finish/route");

const token = createCsrfToken();
const post = (url: string, body: unknown) =>
  new Request(`http://localhost:3000${url}`, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { host: "localhost:3000", origin: "http://localhost:3000", cookie: `scopewise_csrf=${token}`, "x-csrf-token": token, "content-type": "application/json" },
  });
const params = { params: Promise.resolve({ id: "6f1c2b1e-2f3a-4b5c-8d9e-0a1b2c3d4e5f" }) };

describe("read-only mode", () => {
  it("answers 405 (Allow: GET) to an apply and to its dry run, without building an engine", async () => {
    for (const confirm of [true, false]) {
      const res = await POST(post("/api/changes", { findingId: "f", planId: "p", confirm }));
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe("GET");
      expect((await res.json()).error).toMatch(/read-only/);
    }
    expect(engineFor).not.toHaveBeenCalled();
  });

  it("has no undo or finish route (404), whatever the request carries", async () => {
    expect((await undo.POST(post("/api/changes/x/undo", { confirm: true }), params)).status).toBe(404);
    expect((await finish.POST(post("/api/changes/x/finish", { confirm: true }), params)).status).toBe(404);
    expect(engineFor).not.toHaveBeenCalled();
  });

  it("still lists the audit log", async () => {
    const res = await GET(new Request("http://localhost:3000/api/changes", { headers: { host: "localhost:3000" } }));
    expect(res.status).toBe(200);
    expect((await res.json()).changes).toEqual([{ id: "c1" }]);
  });
});
