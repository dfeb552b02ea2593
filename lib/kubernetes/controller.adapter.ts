import type { Controller } from "@/lib/model/types";
import { adaptContainers } from "./core.adapter";
import { adaptMeta, kubeReader } from "./meta.adapter";

export const CONTROLLER_KINDS = ["Deployment", "DaemonSet", "StatefulSet"] as const;
export type ControllerKind = (typeof CONTROLLER_KINDS)[number];

export function isControllerKind(kind: string): kind is ControllerKind {
  return (CONTROLLER_KINDS as readonly string[]).includes(kind);
}

/** apps/v1 Deployment, DaemonSet or StatefulSet: metadata plus the pod template. */
export function adaptController(wire: unknown, clusterId: string): Controller {
  const kindValue = (wire as { kind?: unknown } | null)?.kind;
  const kind = typeof kindValue === "string" ? kindValue : "Controller";
  const r = kubeReader(kind, wire, clusterId);
  if (!isControllerKind(kind)) return r.fail("kind", `must be one of ${CONTROLLER_KINDS.join(", ")}`);
  return {
    ...adaptMeta(r, clusterId),
    kind,
    templateLabels: r.stringMap("spec.template.metadata.labels"),
    containers: adaptContainers(r, "spec.template.spec.containers").map(({ name, image, args }) => ({ name, image, args })),
    serviceAccountName: r.optString("spec.template.spec.serviceAccountName") ?? r.optString("spec.template.spec.serviceAccount"),
  };
}
