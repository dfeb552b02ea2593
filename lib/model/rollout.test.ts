import { describe, expect, it } from "vitest";
import { evaluateRolloutStatus } from "./rollout";

const deployment = (generation: number, spec: Record<string, unknown>, status: Record<string, unknown>) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "shop", generation },
  spec,
  status,
});

describe("evaluateRolloutStatus (kubectl rollout status logic)", () => {
  it("a Deployment whose new generation is not observed yet is not done, whatever its counts say", () => {
    const s = evaluateRolloutStatus("Deployment", deployment(3, { replicas: 2 }, { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2 }));
    expect(s.done).toBe(false);
    expect(s.message).toMatch(/observe/);
  });

  it("a Deployment progresses: updated < desired, then old pods pending, then new pods not available, then done", () => {
    const steps = [
      [{ replicas: 3, updatedReplicas: 1, availableReplicas: 3 }, "1 of 3 new pods updated"],
      [{ replicas: 4, updatedReplicas: 3, availableReplicas: 3 }, "1 pod of the old template pending termination"],
      [{ replicas: 3, updatedReplicas: 3, availableReplicas: 2 }, "2 of 3 new pods available"],
      [{ replicas: 3, updatedReplicas: 3, availableReplicas: 3 }, "3 of 3 new pods available"],
    ] as const;
    const seen = steps.map(([status]) => evaluateRolloutStatus("Deployment", deployment(2, { replicas: 3 }, { observedGeneration: 2, ...status })));
    expect(seen.map((s) => s.message)).toEqual(steps.map(([, m]) => m));
    expect(seen.map((s) => s.done)).toEqual([false, false, false, true]);
    expect(seen[2]).toMatchObject({ desired: 3, updated: 3, available: 2 });
  });

  it("Progressing=False ProgressDeadlineExceeded fails the rollout with the controller's message", () => {
    const s = evaluateRolloutStatus(
      "Deployment",
      deployment(2, { replicas: 2 }, {
        observedGeneration: 2,
        replicas: 3,
        updatedReplicas: 1,
        availableReplicas: 2,
        conditions: [{ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded", message: 'ReplicaSet "web-7d4b9c" has timed out progressing.' }],
      }),
    );
    expect(s).toMatchObject({ done: false, failed: 'ReplicaSet "web-7d4b9c" has timed out progressing.' });
  });

  it("spec.replicas absent means one replica, as the API server defaults it", () => {
    expect(evaluateRolloutStatus("Deployment", deployment(1, {}, { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 })).desired).toBe(1);
  });

  it("a StatefulSet is done only once ready and updateRevision == currentRevision", () => {
    const sts = (status: Record<string, unknown>) => ({ metadata: { name: "db", generation: 2 }, spec: { replicas: 2, updateStrategy: { type: "RollingUpdate" } }, status: { observedGeneration: 2, ...status } });
    expect(evaluateRolloutStatus("StatefulSet", sts({ readyReplicas: 1, updatedReplicas: 1, currentRevision: "db-1", updateRevision: "db-2" })).done).toBe(false);
    const rolling = evaluateRolloutStatus("StatefulSet", sts({ readyReplicas: 2, updatedReplicas: 1, currentRevision: "db-1", updateRevision: "db-2" }));
    expect(rolling.done).toBe(false);
    expect(rolling.message).toContain("db-2");
    expect(evaluateRolloutStatus("StatefulSet", sts({ readyReplicas: 2, updatedReplicas: 2, currentRevision: "db-2", updateRevision: "db-2" })).done).toBe(true);
    // observedGeneration 0 = the controller has not seen the object at all.
    expect(evaluateRolloutStatus("StatefulSet", { ...sts({}), status: { readyReplicas: 2, observedGeneration: 0 } }).done).toBe(false);
  });

  it("a StatefulSet with a rollingUpdate block (partition defaulted to 0) is done once the pods above the partition are updated and ready", () => {
    const sts = (partition: number, status: Record<string, unknown>) => ({ metadata: { name: "db", generation: 4 }, spec: { replicas: 3, updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition } } }, status: { observedGeneration: 4, readyReplicas: 3, ...status } });
    expect(evaluateRolloutStatus("StatefulSet", sts(0, { updatedReplicas: 2 }))).toMatchObject({ done: false, message: "2 of 3 new pods updated" });
    expect(evaluateRolloutStatus("StatefulSet", sts(0, { updatedReplicas: 3 })).done).toBe(true);
    expect(evaluateRolloutStatus("StatefulSet", sts(2, { updatedReplicas: 1 }))).toMatchObject({ done: true, message: "1 of 1 new pods updated (partition 2)" });
  });

  it("a DaemonSet counts scheduled pods: updatedNumberScheduled and numberAvailable against desiredNumberScheduled", () => {
    const ds = (status: Record<string, unknown>) => ({ metadata: { name: "agent", generation: 5 }, spec: {}, status: { observedGeneration: 5, desiredNumberScheduled: 3, ...status } });
    expect(evaluateRolloutStatus("DaemonSet", ds({ updatedNumberScheduled: 2, numberAvailable: 3 })).message).toBe("2 of 3 new pods updated");
    expect(evaluateRolloutStatus("DaemonSet", ds({ updatedNumberScheduled: 3, numberAvailable: 2 })).message).toBe("2 of 3 new pods available");
    expect(evaluateRolloutStatus("DaemonSet", ds({ updatedNumberScheduled: 3, numberAvailable: 3 }))).toMatchObject({ done: true, desired: 3, updated: 3, available: 3 });
  });

  it("OnDelete strategies have no rollout to wait for; a kind that is not a controller is refused by name", () => {
    expect(evaluateRolloutStatus("DaemonSet", { metadata: { generation: 2 }, spec: { updateStrategy: { type: "OnDelete" } }, status: { observedGeneration: 1 } }).done).toBe(true);
    expect(() => evaluateRolloutStatus("ReplicaSet" as "Deployment", { metadata: {} })).toThrow(/"ReplicaSet" is not a Deployment/);
  });
});
