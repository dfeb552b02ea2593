import { afterAll, describe, expect, it } from "vitest";
import { DecisionSubjectKind } from "@/lib/model/decisions";
import { DecisionAction, TriageDecisions } from "./decisions";
import { migrate } from "./migrations";
import { testDatabases } from "./sql.testing";

const rg = "/subscriptions/s1/resourceGroups/RG-Hub";
const accept = { state: "accepted" as const, reason: "hub registry shared until the split", owner: "platform@example.com", expires: "2026-06-30" };

for (const target of testDatabases()) {
  describe(`TriageDecisions on ${target.name}`, () => {
    afterAll(() => target.dispose());

    async function fresh(): Promise<TriageDecisions> {
      let t = 0;
      const db = await target.open();
      await migrate(db);
      await db.run("DELETE FROM triage_decisions");
      await db.run("DELETE FROM triage_decision_history");
      return new TriageDecisions(db, { now: () => new Date(Date.UTC(2026, 2, 1, 0, 0, t++)).toISOString() });
    }

    it("keeps one current decision per subject and every decision in the history", async () => {
      const store = await fresh();
      const subject = { kind: DecisionSubjectKind.Rule, ruleId: "acr-scope-too-broad", scope: rg };
      const first = await store.decide({ ...accept, subject, evidence: ["b", "a", "a"] }, "alice");
      expect(first).toMatchObject({ subjectKey: "rule:acr-scope-too-broad:/subscriptions/s1/resourcegroups/rg-hub", evidence: ["a", "b"], decidedBy: "alice", decidedAt: "2026-03-01T00:00:00.000Z" });
      await store.decide({ ...accept, state: "false-positive", reason: "the rule misreads the shared registry", subject, evidence: ["a"] }, "bob");
      const current = await store.list();
      expect(current).toHaveLength(1);
      expect(current[0]).toMatchObject({ state: "false-positive", decidedBy: "bob", subject, evidence: ["a"] });
      const history = await store.history();
      expect(history.map((h) => [h.action, h.actor, h.decision.state])).toEqual([
        [DecisionAction.Decide, "bob", "false-positive"],
        [DecisionAction.Decide, "alice", "accepted"],
      ]);
    });

    it("withdraws a decision and records who withdrew it", async () => {
      const store = await fresh();
      const d = await store.decide({ ...accept, subject: { kind: DecisionSubjectKind.Finding, findingId: "f1" }, evidence: ["x"] }, "alice");
      await store.decide({ ...accept, subject: { kind: DecisionSubjectKind.Identity, principalId: "P1" }, evidence: ["y"] }, "alice");
      expect(await store.withdraw(d.subjectKey, "carol")).toBe(true);
      expect(await store.withdraw(d.subjectKey, "carol")).toBe(false);
      expect((await store.list()).map((x) => x.subjectKey)).toEqual(["identity:p1"]);
      const [withdrawn] = await store.history({ subjectKeys: [d.subjectKey] });
      expect(withdrawn).toMatchObject({ action: DecisionAction.Withdraw, actor: "carol", decision: { reason: accept.reason, decidedBy: "alice" } });
      expect(await store.history({ subjectKeys: [] })).toEqual([]);
    });

    it("refuses a state the schema does not know", async () => {
      const store = await fresh();
      await expect(store.decide({ ...accept, state: "ignored" as "accepted", subject: { kind: DecisionSubjectKind.Finding, findingId: "f2" }, evidence: [] }, "alice")).rejects.toThrow(
        /Triage decisions: could not record the decision/,
      );
      expect(await store.history()).toEqual([]);
    });
  });
}

for (const target of testDatabases()) {
  describe(`TriageDecisions in bulk on ${target.name}`, () => {
    afterAll(() => target.dispose());
    it("records many decisions in one go, each in the history, and none when one is refused", async () => {
      const db = await target.open();
      await migrate(db);
      await db.run("DELETE FROM triage_decisions");
      await db.run("DELETE FROM triage_decision_history");
      const store = new TriageDecisions(db, { now: () => "2026-03-01T00:00:00.000Z" });
      const inputs = ["f1", "f2", "f3"].map((findingId) => ({ ...accept, subject: { kind: DecisionSubjectKind.Finding, findingId }, evidence: [findingId] }));
      expect((await store.decideMany(inputs, "alice")).map((d) => d.subjectKey)).toEqual(["finding:f1", "finding:f2", "finding:f3"]);
      expect(await store.history()).toHaveLength(3);
      const bad = [...inputs.slice(0, 1), { ...inputs[1]!, state: "snoozed" as "accepted", subject: { kind: DecisionSubjectKind.Finding, findingId: "f9" } }];
      await expect(store.decideMany(bad, "bob")).rejects.toThrow(/could not record/);
      expect((await store.list()).map((d) => d.decidedBy)).toEqual(["alice", "alice", "alice"]);
      expect(await store.history()).toHaveLength(3);
    });
  });
}
