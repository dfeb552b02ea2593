import { beforeEach, describe, expect, it, vi } from "vitest";
import { stubDemoEnv } from "@/lib/testing/demo-env";
import { createCsrfToken } from "@/app/_lib/csrf";

// Demo mode: no sign-in, the server's own credential acts (route.sign-in.test.ts covers azure mode).
stubDemoEnv();

const startScan = vi.fn();
vi.mock("@/lib/scan/server-jobs", () => ({ startScan: (...a: unknown[]) => startScan(...a), runningScanOf: async () => undefined }));

const { POST } = await import("./route");
const { POST: rescan } = await import("../rescan/route");
const { GET } = await import("../csrf/route");
const { StoreError } = await import("@/lib/store/db");

const token = createCsrfToken();
function request(body: string | undefined, headers: Record<string, string> = {}): Request {
  return new Request("http://localhost:3100/api/scans", {
    method: "POST",
    body,
    headers: { host: "localhost:3100", origin: "http://localhost:3100", cookie: `scopewise_csrf=${token}`, "x-csrf-token": token, "content-type": "application/json", ...headers },
  });
}

const JOB = "0b1e7d0e-0d4c-4d8b-9a51-3c1f2b6a7e11";

describe("POST /api/scans", () => {
  beforeEach(() => {
    // Each test starts with the person's scan limit unused (route.rescan-limit.test.ts covers it).
    delete (globalThis as { __scopewiseRescanLimiter?: unknown }).__scopewiseRescanLimiter;
    startScan.mockReset();
    startScan.mockResolvedValue({ jobId: JOB, joined: false });
  });

  it("starts a scan as the server's credential and answers at once with the job id (202)", async () => {
    const res = await POST(request("{}"));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ jobId: JOB });
    expect(res.headers.get("location")).toBe(`/api/scans/jobs/${JOB}`);
    expect(startScan).toHaveBeenCalledTimes(1);
    expect(startScan.mock.calls[0]).toEqual([{ kind: "server" }, { trigger: "request", requestedBy: "anyone on this machine (no launch token is set), acting with the demo emulator's app registration" }]);
  });

  it("answers 200 with the running job's id when it joins one", async () => {
    startScan.mockResolvedValue({ jobId: JOB, joined: true });
    const res = await POST(request("{}"));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ jobId: JOB });
  });

  it("is what POST /api/rescan does", () => {
    expect(rescan).toBe(POST);
  });

  it("accepts an empty body", async () => {
    expect((await POST(request(undefined))).status).toBe(202);
  });

  it("refuses a request without the CSRF token with 403 and does not scan", async () => {
    const res = await POST(request("{}", { "x-csrf-token": "" }));
    expect(res.status).toBe(403);
    expect((await res.json()).error).toContain("x-csrf-token");
    expect(startScan).not.toHaveBeenCalled();
  });

  it("refuses a cross-origin request with 403", async () => {
    expect((await POST(request("{}", { origin: "https://evil.example" }))).status).toBe(403);
    expect(startScan).not.toHaveBeenCalled();
  });

  it("answers 400 to a body that is not JSON and 422 to unknown fields, naming them", async () => {
    expect((await POST(request("{nope"))).status).toBe(400);
    const res = await POST(request(JSON.stringify({ subscription: "x" })));
    expect(res.status).toBe(422);
    expect(JSON.stringify(await res.json())).toContain("subscription");
    expect(startScan).not.toHaveBeenCalled();
  });

  it("answers 503 with the message when the store cannot record the job", async () => {
    startScan.mockRejectedValue(new StoreError("Scan jobs /data/scopewise.db: could not start a scan job: the database is locked", "/data/scopewise.db"));
    const res = await POST(request("{}"));
    expect(res.status).toBe(503);
    expect((await res.json()).error).toMatch(/could not start a scan job/);
  });

  it("hides unexpected failures behind a generic 500", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    startScan.mockRejectedValue(new Error("secret internals"));
    const res = await POST(request("{}"));
    expect(res.status).toBe(500);
    expect(JSON.stringify(await res.json())).not.toContain("secret");
  });
});

describe("GET /api/csrf", () => {
  it("issues a token in a strict cookie and the body, and reuses a valid existing one", async () => {
    const fresh = GET(new Request("http://localhost:3100/api/csrf"));
    const { token: issued } = await fresh.json();
    expect(issued).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fresh.headers.get("set-cookie")).toContain(`scopewise_csrf=${issued}; Path=/; HttpOnly; SameSite=Strict`);
    const again = GET(new Request("http://localhost:3100/api/csrf", { headers: { cookie: `scopewise_csrf=${issued}` } }));
    expect((await again.json()).token).toBe(issued);
  });
});
