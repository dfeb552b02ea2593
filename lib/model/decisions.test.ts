import { describe, expect, it } from "vitest";
import { evaluateDecision, evidenceDigest, subjectKeyOf, DecisionSubjectKind, TriageStatus, type Decision, type DecisionSubject } from "./decisions";
import type { Finding } from "./findings";

const rg = "/subscriptions/s1/resourceGroups/rg-hub";
const finding = (over: Partial<Finding> = {}): Finding =>
  ({ id: "f1", ruleId: "acr-scope-too-broad", severity: "high", baseSeverity: "high", title: "t", message: "m", evidence: [], fixes: [], principalId: "p1", roleName: "AcrPull", roleDefinitionId: "/r/acrpull", scope: rg, ...over }) as Finding;
const decided = (subject: DecisionSubject, f: Finding, over: Partial<Decision> = {}): Decision => ({
  subjectKey: subjectKeyOf(subject),
  subject,
  state: "accepted",
  reason: "r",
  owner: "o",
  expires: "2026-06-30",
  evidence: [evidenceDigest(f)],
  decidedBy: "alice",
  decidedAt: "2026-03-01T00:00:00Z",
  ...over,
});
const march = new Date("2026-03-02T00:00:00Z");

describe("a finding's triage under dashboard decisions", () => {
  it("is open without a decision and accepted or false positive with one", () => {
    const f = finding();
    expect(evaluateDecision(f, [], march)).toEqual({ status: TriageStatus.Open });
    expect(evaluateDecision(f, [decided({ kind: DecisionSubjectKind.Finding, findingId: "f1" }, f)], march).status).toBe(TriageStatus.Accepted);
    expect(evaluateDecision(f, [decided({ kind: DecisionSubjectKind.Identity, principalId: "P1" }, f, { state: "false-positive" })], march).status).toBe(TriageStatus.FalsePositive);
  });

  it("reopens as expired the day after the expiry", () => {
    const f = finding();
    const d = decided({ kind: DecisionSubjectKind.Finding, findingId: "f1" }, f);
    expect(evaluateDecision(f, [d], new Date("2026-06-30T23:00:00Z")).status).toBe(TriageStatus.Accepted);
    expect(evaluateDecision(f, [d], new Date("2026-07-01T00:00:00Z"))).toMatchObject({ status: TriageStatus.Expired, reopened: "the decision expired on 2026-06-30" });
  });

  it("reopens when the evidence changes: a wider role, a new scope", () => {
    const f = finding();
    const d = decided({ kind: DecisionSubjectKind.Rule, ruleId: "acr-scope-too-broad", scope: "/subscriptions/s1" }, f);
    expect(evaluateDecision(f, [d], march).status).toBe(TriageStatus.Accepted);
    const wider = finding({ roleName: "Contributor", roleDefinitionId: "/r/contributor" });
    expect(evaluateDecision(wider, [d], march)).toMatchObject({ status: TriageStatus.Open, reopened: expect.stringMatching(/evidence changed/) });
    const moved = finding({ id: "f2", scope: "/subscriptions/s1/resourceGroups/rg-other" });
    expect(evaluateDecision(moved, [d], march).status).toBe(TriageStatus.Open);
    // Case alone does not change the evidence: ARM ids compare case-insensitively.
    expect(evaluateDecision(finding({ scope: rg.toUpperCase() }), [d], march).status).toBe(TriageStatus.Accepted);
  });

  it("does not cover a finding outside the subject", () => {
    const f = finding();
    const d = decided({ kind: DecisionSubjectKind.Rule, ruleId: "acr-scope-too-broad", scope: `${rg}/providers/Microsoft.ContainerRegistry/registries/acr1` }, f);
    expect(evaluateDecision(f, [d], march)).toEqual({ status: TriageStatus.Open });
    expect(evaluateDecision(finding({ ruleId: "other-rule" }), [decided({ kind: DecisionSubjectKind.Rule, ruleId: "acr-scope-too-broad", scope: rg }, f)], march).status).toBe(TriageStatus.Open);
  });

  it("prefers the decision about the finding over a wider one", () => {
    const f = finding();
    const rule = decided({ kind: DecisionSubjectKind.Rule, ruleId: "acr-scope-too-broad", scope: rg }, f, { state: "false-positive" });
    const own = decided({ kind: DecisionSubjectKind.Finding, findingId: "f1" }, f, { reason: "own" });
    expect(evaluateDecision(f, [rule, own], march).decision?.reason).toBe("own");
  });
});
