import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createCsrfToken } from "@/app/_lib/csrf";
import { demoScan } from "@/lib/testing/demo-scan";
import { stubDemoEnv } from "@/lib/testing/demo-env";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scopewise-bulk-"));
stubDemoEnv({ SCOPEWISE_DATA_DIR: dir });
const { inventory, findings } = demoScan();

vi.mock("@/lib/auth/actor", () => ({
  requireActor: vi.fn(async (request: Request) => {
    const reads = request.headers.get("x-test-reads");
    const viewer = reads
      ? { kind: "user", session: { user: { oid: "u", tenantId: "t", username: "bob@contoso.com", name: "Bob" } }, subscriptions: reads }
      : { kind: "server" };
    return { ok: true, actor: { kind: viewer.kind, id: "a", displayName: reads ? "Bob" : "demo", viewer } };
  }),
}));
// A person's scan holds the subscriptions their identity reads (all of them for the server).
vi.mock("@/lib/scan/current-scan", () => ({
  getCurrentScan: vi.fn(async (viewer: { subscriptions?: string }) => ({
    inventory: viewer.subscriptions ? { ...inventory, subscriptions: inventory.subscriptions.filter((s) => viewer.subscriptions!.includes(s.subscriptionId)) } : inventory,
    findings,
  })),
}));

const { POST } = await import("./route");
const { getScanTriage, serverDecisions } = await import("@/lib/scan/triage");
const token = createCsrfToken();
const post = (body: unknown, headers: Record<string, string> = {}) =>
  POST(
    new Request("http://localhost:3100/api/findings/bulk", {
      method: "POST",
      body: JSON.stringify(body),
      headers: { host: "localhost:3100", origin: "http://localhost:3100", cookie: `scopewise_csrf=${token}`, "x-csrf-token": token, "content-type": "application/json", ...headers },
    }),
  );
const decide = { action: "decide", state: "accepted", reason: "tracked in SEC-42", owner: "platform@example.com", expires: "2999-01-01" };
const statusOf = async (id: string) => (await getScanTriage(findings)).byFinding.get(id)?.status;
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("POST /api/findings/bulk", () => {
  it("accepts the findings ticked on a page", async () => {
    const [a, b] = findings;
    const res = await post({ selection: { ids: [a!.id, b!.id, "gone-finding"] }, action: decide });
    expect(await res.json()).toEqual({ decided: 2, skipped: [{ reason: "not in the current scan", count: 1 }] });
    expect(await statusOf(a!.id)).toBe("accepted");
    expect(await statusOf(findings[2]!.id)).toBe("open");
  });

  it("selects every finding matching the filter on the server, across pages", async () => {
    const rule = "orphaned-role-assignment";
    const expected = findings.filter((f) => f.ruleId === rule);
    expect(expected.length).toBeGreaterThan(0);
    const res = await post({ selection: { filter: { rule } }, action: { ...decide, state: "false-positive" } });
    expect((await res.json()).decided).toBe(expected.length);
    for (const f of expected) expect(await statusOf(f.id)).toBe("false-positive");
    // The triage filter selects by decision: assign an owner to everything accepted so far.
    const owners = await post({ selection: { filter: { triage: "false-positive" } }, action: { action: "assign-owner", owner: "carol@example.com" } });
    expect((await owners.json()).decided).toBe(expected.length);
    const current = (await (await serverDecisions()).list()).filter((d) => d.state === "false-positive");
    expect(current.every((d) => d.owner === "carol@example.com")).toBe(true);
  });

  it("skips assigning an owner to findings without a decision", async () => {
    const open = findings.filter((f) => f.ruleId === "subscription-scope-grant").slice(0, 1);
    const res = await post({ selection: { ids: open.map((f) => f.id) }, action: { action: "assign-owner", owner: "dave" } });
    expect(await res.json()).toEqual({ decided: 0, skipped: [{ reason: "no decision of its own to assign an owner to", count: 1 }] });
  });

  it("decides only findings in scopes the person's scan reads", async () => {
    const target = findings.find((f) => f.scope?.startsWith("/subscriptions/"))!;
    const sub = target.scope!.split("/")[2]!;
    const others = inventory.subscriptions.filter((s) => s.subscriptionId !== sub).map((s) => s.subscriptionId).join(",");
    expect((await post({ selection: { ids: [target.id] }, action: decide }, { "x-test-reads": others })).status).toBe(403);
  });

  it("refuses a bad filter, a bad action and a missing CSRF token", async () => {
    const unknown = await post({ selection: { filter: { colour: "red" } }, action: decide });
    expect(unknown.status).toBe(422);
    expect((await unknown.json()).issues[0]).toMatch(/Unknown filter "colour"/);
    const badRule = await post({ selection: { filter: { rule: "no-such-rule" } }, action: decide });
    expect((await badRule.json()).issues).toEqual(['selection.filter: Ignored rule="no-such-rule": is not a known rule id']);
    expect((await post({ selection: { ids: [] }, action: decide })).status).toBe(422);
    expect((await post({ selection: { ids: ["x"] }, action: { ...decide, reason: "" } })).status).toBe(422);
    expect((await post({ selection: { ids: ["x"] }, action: decide }, { "x-csrf-token": "" })).status).toBe(403);
  });
});
