import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createCsrfToken } from "@/app/_lib/csrf";
import { demoScan } from "@/lib/testing/demo-scan";
import { stubDemoEnv } from "@/lib/testing/demo-env";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scopewise-decisions-"));
const exceptionsFile = path.join(dir, "scopewise.exceptions.yaml");
stubDemoEnv({ SCOPEWISE_DATA_DIR: dir, SCOPEWISE_EXCEPTIONS_FILE: exceptionsFile });

const { inventory, findings } = demoScan();
const finding = findings.find((f) => f.ruleId === "acr-scope-too-broad")!;
const sub = finding.scope!.split("/")[2]!;

const user = (subscriptions: typeof inventory.subscriptions) => ({
  kind: "user",
  id: "u1",
  displayName: "Alice (alice@contoso.com)",
  viewer: { kind: "user", session: { user: { oid: "u1", tenantId: "t", username: "alice@contoso.com", name: "Alice" } }, inventory: { ...inventory, subscriptions } },
});
vi.mock("@/lib/auth/actor", () => ({
  requireActor: vi.fn(async (request: Request) => {
    if (request.headers.get("x-test-no-session")) return { ok: false, response: Response.json({ error: "sign in first" }, { status: 401 }) };
    const as = request.headers.get("x-test-user");
    if (as === "reads-all") return { ok: true, actor: user(inventory.subscriptions) };
    if (as === "reads-other") return { ok: true, actor: user(inventory.subscriptions.filter((s) => s.subscriptionId !== sub)) };
    return { ok: true, actor: { kind: "server", id: "server", displayName: "demo (server)", viewer: { kind: "server" } } };
  }),
}));
// The person's scan: the demo tenant, with only the subscriptions their test identity reads.
vi.mock("@/lib/scan/current-scan", () => ({
  getCurrentScan: vi.fn(async (viewer: { inventory?: typeof inventory }) => ({ inventory: viewer.inventory ?? inventory, findings })),
}));

const { POST } = await import("./route");
const { getScanTriage, historyOf, serverDecisions } = await import("@/lib/scan/triage");

const token = createCsrfToken();
function post(id: string, body: unknown, headers: Record<string, string> = {}) {
  const request = new Request(`http://localhost:3100/api/findings/${id}/decision`, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { host: "localhost:3100", origin: "http://localhost:3100", cookie: `scopewise_csrf=${token}`, "x-csrf-token": token, "content-type": "application/json", ...headers },
  });
  return POST(request, { params: Promise.resolve({ id }) });
}
const accept = { action: "decide", subject: "finding", state: "accepted", reason: "Hub registry shared until the split", owner: "platform@example.com", expires: "2999-12-31" };

beforeEach(() => fs.rmSync(exceptionsFile, { force: true }));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("POST /api/findings/[id]/decision", () => {
  it("accepts a finding with who decided it, shows it in the scan's triage and its history, and withdraws it", async () => {
    const res = await post(finding.id, accept);
    expect(res.status).toBe(200);
    expect((await res.json()).decision).toMatchObject({ state: "accepted", decidedBy: "demo (server)", subject: { kind: "finding", findingId: finding.id } });
    const triage = await getScanTriage(findings);
    expect(triage.byFinding.get(finding.id)).toMatchObject({ status: "accepted", source: "dashboard", decision: { owner: "platform@example.com" } });
    expect([...triage.byFinding.values()].filter((v) => v.status !== "open")).toHaveLength(1);
    expect(await (await post(finding.id, { action: "withdraw", subject: "finding" })).json()).toEqual({ withdrawn: true });
    expect((await getScanTriage(findings)).byFinding.get(finding.id)?.status).toBe("open");
    const history = await historyOf(finding, await serverDecisions());
    expect(history.map((h) => h.action)).toEqual(["withdraw", "decide"]);
  });

  it("covers every finding of the rule below a scope with a rule decision", async () => {
    const subscription = `/subscriptions/${sub}`;
    const res = await post(finding.id, { ...accept, subject: "rule", scope: subscription, state: "false-positive" });
    expect(res.status).toBe(200);
    const triage = await getScanTriage(findings);
    const covered = findings.filter((f) => f.ruleId === finding.ruleId && (f.scope ?? f.clusterId ?? "").toLowerCase().startsWith(subscription.toLowerCase()));
    for (const f of covered) expect(triage.byFinding.get(f.id)?.status).toBe("false-positive");
    await post(finding.id, { action: "withdraw", subject: "rule", scope: subscription });
    // A scope that does not hold the finding is refused.
    const elsewhere = await post(finding.id, { ...accept, subject: "rule", scope: "/subscriptions/00000000-0000-0000-0000-000000000000" });
    expect(elsewhere.status).toBe(422);
  });

  it("lets a person decide only where their own scan reads", async () => {
    expect((await post(finding.id, accept, { "x-test-user": "reads-other" })).status).toBe(403);
    const allowed = await post(finding.id, accept, { "x-test-user": "reads-all" });
    expect((await allowed.json()).decision.decidedBy).toBe("Alice (alice@contoso.com)");
    await post(finding.id, { action: "withdraw", subject: "finding" });
  });

  it("refuses bad input with 422 naming the field, no CSRF token with 403, no session with 401, an unknown finding with 404", async () => {
    const missing = await post(finding.id, { ...accept, reason: " " });
    expect(missing.status).toBe(422);
    expect((await missing.json()).issues).toEqual(["reason: a reason is required"]);
    const past = await post(finding.id, { ...accept, expires: "2020-01-01" });
    expect((await past.json()).issues).toEqual(["expires: must be today or later"]);
    expect((await post(finding.id, { ...accept, ticket: "SEC-1" })).status).toBe(422);
    expect((await post(finding.id, accept, { "x-csrf-token": "" })).status).toBe(403);
    expect((await post(finding.id, accept, { "x-test-no-session": "1" })).status).toBe(401);
    expect((await post("no-such-finding", accept)).status).toBe(404);
    expect(await (await serverDecisions()).list()).toEqual([]);
  });
});

describe("the exceptions file in the dashboard", () => {
  it("decides findings as the CLI does, read-only, before dashboard decisions", async () => {
    fs.writeFileSync(exceptionsFile, `exceptions:\n  - finding: ${finding.id}\n    reason: kept on purpose\n    owner: team\n    expires: 2999-01-01\n`);
    const triage = await getScanTriage(findings);
    expect(triage.file).toBe(exceptionsFile);
    expect(triage.byFinding.get(finding.id)).toMatchObject({ status: "accepted", source: "file", entry: { line: 2, reason: "kept on purpose" } });
  });

  it("says why a bad file is not used, and applies none of it", async () => {
    fs.writeFileSync(exceptionsFile, `exceptions:\n  - finding: ${finding.id}\n    owner: team\n    expires: 2999-01-01\n`);
    const triage = await getScanTriage(findings);
    expect(triage.fileError).toBe(`${exceptionsFile}:2: exceptions[0].reason: required`);
    expect(triage.byFinding.get(finding.id)?.status).toBe("open");
  });
});
