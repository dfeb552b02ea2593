import { beforeEach, describe, expect, it, vi } from "vitest";
import { stubDemoEnv } from "@/lib/testing/demo-env";
import { createCsrfToken } from "@/app/_lib/csrf";

stubDemoEnv();

const scanJobOf = vi.fn();
const cancelScan = vi.fn();
vi.mock("@/lib/scan/server-jobs", () => ({ scanJobOf: (...a: unknown[]) => scanJobOf(...a), cancelScan: (...a: unknown[]) => cancelScan(...a) }));

const { GET } = await import("./route");
const { POST: CANCEL } = await import("./cancel/route");

const JOB = "0b1e7d0e-0d4c-4d8b-9a51-3c1f2b6a7e11";
const running = { id: JOB, state: "running", progress: { phase: "clusters", summary: "cluster 2 of 3", elapsedMs: 1200, etaMs: 800 }, errors: [] };
const params = (id: string) => ({ params: Promise.resolve({ id }) });
const token = createCsrfToken();
const cancelRequest = (headers: Record<string, string> = {}) =>
  new Request(`http://localhost:3100/api/scans/jobs/${JOB}/cancel`, {
    method: "POST",
    body: "{}",
    headers: { host: "localhost:3100", origin: "http://localhost:3100", cookie: `scopewise_csrf=${token}`, "x-csrf-token": token, "content-type": "application/json", ...headers },
  });

beforeEach(() => {
  scanJobOf.mockReset();
  cancelScan.mockReset();
});

describe("GET /api/scans/jobs/<id>", () => {
  it("answers the job's state, progress and errors", async () => {
    scanJobOf.mockResolvedValue(running);
    const res = await GET(new Request(`http://localhost:3100/api/scans/jobs/${JOB}`), params(JOB));
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toMatchObject({ state: "running", progress: { summary: "cluster 2 of 3" }, errors: [] });
    expect(scanJobOf).toHaveBeenCalledWith({ kind: "server" }, JOB);
  });

  it("answers 404 for a job that is not the caller's, and 422 for an id that is not one", async () => {
    scanJobOf.mockResolvedValue(undefined);
    expect((await GET(new Request(`http://localhost:3100/api/scans/jobs/${JOB}`), params(JOB))).status).toBe(404);
    const bad = await GET(new Request("http://localhost:3100/api/scans/jobs/x"), params("../../etc"));
    expect(bad.status).toBe(422);
    expect((await bad.json()).issues).toEqual(["id: must be a job id (a UUID)"]);
  });
});

describe("POST /api/scans/jobs/<id>/cancel", () => {
  it("asks the job to stop and answers 202 while it winds down", async () => {
    cancelScan.mockResolvedValue({ ...running, cancelRequested: true });
    const res = await CANCEL(cancelRequest(), params(JOB));
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ id: JOB, cancelRequested: true });
    expect(cancelScan).toHaveBeenCalledWith({ kind: "server" }, JOB, "anyone on this machine (no launch token is set), acting with the demo emulator's app registration");
  });

  it("refuses without the CSRF token (403) and answers 404 for a job that is not the caller's", async () => {
    expect((await CANCEL(cancelRequest({ "x-csrf-token": "" }), params(JOB))).status).toBe(403);
    expect(cancelScan).not.toHaveBeenCalled();
    cancelScan.mockResolvedValue(undefined);
    expect((await CANCEL(cancelRequest(), params(JOB))).status).toBe(404);
  });
});
