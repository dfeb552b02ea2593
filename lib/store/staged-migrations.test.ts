import { afterAll, describe, expect, it } from "vitest";
import { AuditLog } from "./audit";
import { migrate } from "./migrations";
import { PhaseStatus, StagedMigrationLog, StagedState } from "./staged-migrations";
import { testDatabases } from "./sql.testing";

for (const target of testDatabases()) {
  describe(`staged migrations on ${target.name}`, () => {
    afterAll(() => target.dispose());

    it("keeps a migration's phases, pause request and state beside its change, read back by a new connection's log", async () => {
      const db = await target.open();
      await migrate(db);
      const changeId = await new AuditLog(db).startChange({
        kind: "apply",
        findingId: "pod-identity-deprecated-0123456789ab",
        planId: "staged-migration",
        actor: "dana@contoso.com",
        summary: "Move 2 bindings to workload identity",
        scopes: ["/subscriptions/x"],
        steps: [{ kind: "arm", targetId: "/subscriptions/x/fic", operation: { op: "noop" } }],
      });
      const log = new StagedMigrationLog(db);
      const phases = [
        { binding: "payments/api", phase: "credential" as const, seqs: [1], status: PhaseStatus.Planned },
        { binding: "payments/api", phase: "rollout" as const, seqs: [], status: PhaseStatus.Planned },
      ];
      await log.create({ changeId, clusterId: "/subscriptions/x/aks", plan: { bindings: ["payments/api"] }, phases });
      await log.updatePhase(changeId, 0, { status: PhaseStatus.Done, message: "Federated credential created" });
      expect(await log.requestPause(changeId)).toBe(true);
      await log.setState(changeId, StagedState.Paused);
      expect(await log.requestPause(changeId)).toBe(false);
      expect([...(await log.pausedChangeIds())]).toEqual([changeId]);

      const again = await new StagedMigrationLog(db).get(changeId);
      expect(again).toMatchObject({ changeId, state: "paused", pauseRequested: true, plan: { bindings: ["payments/api"] } });
      expect(again!.phases.map((p) => [p.phase, p.status, p.message])).toEqual([
        ["credential", "done", "Federated credential created"],
        ["rollout", "planned", undefined],
      ]);
      // Resuming clears the pause request.
      await log.setState(changeId, StagedState.Running);
      expect(await log.get(changeId)).toMatchObject({ state: "running", pauseRequested: false });
      await expect(log.setState("00000000-0000-0000-0000-000000000000", StagedState.Running)).rejects.toThrow(/no staged migration/);
    });
  });
}
