import { afterAll, describe, expect, it } from "vitest";
import { SourceKind, SourceState, subscriptionSource, type ScanCoverage, type SourceCoverage } from "@/lib/model/coverage";
import type { Finding, Severity } from "@/lib/model/findings";
import { migrate } from "@/lib/store/migrations";
import { recordScan } from "@/lib/store/scans";
import { sqliteTestDatabase } from "@/lib/store/sql.testing";
import { TriageDecisions } from "@/lib/store/decisions";
import { EXPIRY_LOOKBACK_DAYS, expiredRisksEvent, expiryWatchEvent, newFindingsEvent } from "./notify";

const A = "aaaaaaaa-0000-0000-0000-000000000001";
const B = "bbbbbbbb-0000-0000-0000-000000000002";
const sub = (id: string, state: SourceCoverage["state"] = SourceState.Read): SourceCoverage => ({ key: subscriptionSource(id), kind: SourceKind.Subscription, name: id, state, ...(state === SourceState.Failed ? { reason: "HTTP 500" } : {}) });
const complete: ScanCoverage = { sources: [sub(A), sub(B)] };
const bFailed: ScanCoverage = { sources: [sub(A), sub(B, SourceState.Failed)] };
const finding = (id: string, severity: Severity): Finding => ({ id, ruleId: "subscription-scope-grant", severity, baseSeverity: severity, title: id, message: id, evidence: [], fixes: [] });

async function record(db: Awaited<ReturnType<ReturnType<typeof sqliteTestDatabase>["open"]>>, day: number, findings: { f: Finding; sub: string }[], coverage: ScanCoverage) {
  return recordScan(db, {
    scannedAt: `2026-01-0${day}T00:00:00Z`,
    tenantId: "t",
    source: "test",
    durationMs: 1,
    findings: findings.map((x) => x.f),
    errors: [],
    state: coverage === complete ? "succeeded" : "partial",
    scopeKey: "t|server|*",
    coverage,
    sources: new Map(findings.map((x) => [x.f.id, [subscriptionSource(x.sub)]])),
  });
}

describe("newFindingsEvent", () => {
  const target = sqliteTestDatabase();
  afterAll(() => target.dispose());

  it("alerts nothing on a scope's first scan, then only findings new where both scans read their source, at or above the severity", async () => {
    const db = await target.open();
    await migrate(db);
    const old = { f: finding("old", "critical"), sub: A };
    const first = await record(db, 1, [old], complete);
    const scan = (scanId: number, findings: Finding[]) => ({ scanId, findings, inventory: { scannedAt: "x" }, source: "the demo emulator" });
    expect(await newFindingsEvent(db, scan(first.scanId, [old.f]), "high")).toBeUndefined();

    // The second scan could not read subscription B: a finding there is unknown, not new.
    const freshHigh = { f: finding("fresh-high", "high"), sub: A };
    const freshLow = { f: finding("fresh-low", "low"), sub: A };
    const inFailedSub = { f: finding("in-b", "critical"), sub: B };
    const second = await record(db, 2, [old, freshHigh, freshLow, inFailedSub], bFailed);
    const event = await newFindingsEvent(db, scan(second.scanId, [old.f, freshHigh.f, freshLow.f, inFailedSub.f]), "high");
    expect(event).toMatchObject({ kind: "new-findings", scanId: second.scanId, minSeverity: "high", source: "the demo emulator" });
    expect(event!.kind === "new-findings" && event!.findings.map((f) => f.id)).toEqual(["fresh-high"]);
    expect(await newFindingsEvent(db, scan(second.scanId, [old.f, freshHigh.f, freshLow.f, inFailedSub.f]), "critical")).toBeUndefined();
  });
});

describe("expiredRisksEvent", () => {
  const target = sqliteTestDatabase();
  afterAll(() => target.dispose());

  it("alerts each accepted risk once, at the first scan after its expiry; never a false positive's or one still in force", async () => {
    const db = await target.open();
    await migrate(db);
    const decisions = new TriageDecisions(db);
    const decide = (findingId: string, state: "accepted" | "false-positive", expires: string) =>
      decisions.decide({ subject: { kind: "finding", findingId }, state, reason: `reason <b>${findingId}</b>`, owner: "platform-team", expires, evidence: [] }, "dana.okafor@contoso.com");
    await decide("ends-day-2", "accepted", "2026-01-02");
    await decide("ends-day-4", "accepted", "2026-01-04");
    await decide("fp-ends-day-2", "false-positive", "2026-01-02");
    await decide("ends-later", "accepted", "2026-01-09");
    await decisions.decide({ subject: { kind: "rule", ruleId: "subscription-scope-grant", scope: `/subscriptions/${A}` }, state: "accepted", reason: "r", owner: "o", expires: "2026-01-02", evidence: [] }, "x");

    const scans: { scanId: number }[] = [];
    for (const day of [1, 3, 5]) scans.push(await record(db, day, [], complete));
    const at = (i: number) => ({ scanId: scans[i]!.scanId, inventory: { scannedAt: `2026-01-0${[1, 3, 5][i]}T00:00:00Z` } });
    expect(await expiredRisksEvent(db, at(0))).toBeUndefined();
    const second = await expiredRisksEvent(db, at(1));
    expect(second).toMatchObject({ kind: "risk-expired", at: "2026-01-03T00:00:00Z" });
    expect(second!.kind === "risk-expired" && second!.risks.map((r) => r.findingId ?? `${r.ruleId} at ${r.scope}`).sort()).toEqual(["ends-day-2", `subscription-scope-grant at /subscriptions/${A}`]);
    const third = await expiredRisksEvent(db, at(2));
    expect(third!.kind === "risk-expired" && third!.risks).toEqual([{ findingId: "ends-day-4", reason: "reason <b>ends-day-4</b>", owner: "platform-team", expires: "2026-01-04" }]);
  });
});

describe("expiryWatchEvent", () => {
  const target = sqliteTestDatabase();
  afterAll(() => target.dispose());

  it("alerts a risk as it expires without a scan, once (also across replicas and the next scan), and again after a renewal runs out", async () => {
    const db = await target.open();
    await migrate(db);
    const decisions = new TriageDecisions(db);
    const decide = (findingId: string, state: "accepted" | "false-positive", expires: string) =>
      decisions.decide({ subject: { kind: "finding", findingId }, state, reason: `why ${findingId}`, owner: "platform-team", expires, evidence: [] }, "dana.okafor@contoso.com");
    await decide("ends-day-2", "accepted", "2026-01-02");
    await decide("ends-day-10", "accepted", "2026-01-10");
    await decide("fp-ends-day-2", "false-positive", "2026-01-02");
    await decide("ended-long-ago", "accepted", "2025-11-01");
    const first = await record(db, 1, [], complete);

    // In force through 2 January (UTC): nothing on the 2nd, alerted on the 3rd.
    expect(await expiryWatchEvent(db, new Date("2026-01-02T23:59:00Z"))).toBeUndefined();
    const event = await expiryWatchEvent(db, new Date("2026-01-03T00:15:00Z"));
    expect(event).toEqual({ kind: "risk-expired", at: "2026-01-03T00:15:00.000Z", risks: [{ findingId: "ends-day-2", reason: "why ends-day-2", owner: "platform-team", expires: "2026-01-02" }] });
    // The next turn, another replica's turn, and the next scan of the scope do not repeat it.
    expect(await expiryWatchEvent(db, new Date("2026-01-03T00:30:00Z"))).toBeUndefined();
    const second = await record(db, 4, [], complete);
    expect(first.scanId).not.toBe(second.scanId);
    expect(await expiredRisksEvent(db, { scanId: second.scanId, inventory: { scannedAt: "2026-01-04T00:00:00Z" } })).toBeUndefined();

    // Renewed until the 5th: that expiry is its own alert.
    await decide("ends-day-2", "accepted", "2026-01-05");
    const renewed = await expiryWatchEvent(db, new Date("2026-01-06T00:15:00Z"));
    expect(renewed?.kind === "risk-expired" && renewed.risks.map((r) => [r.findingId, r.expires])).toEqual([["ends-day-2", "2026-01-05"]]);
    expect(EXPIRY_LOOKBACK_DAYS).toBeGreaterThanOrEqual(1);
  });
});
