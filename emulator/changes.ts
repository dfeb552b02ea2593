import { randomUUID } from "node:crypto";
import { normalizeId, subscriptionOf } from "@/lib/model/scope";
import type { ArmWireObject } from "@/lib/model/wire";

/**
 * Resource Graph's change tables, as Azure's change analysis fills them: every create, update
 * and delete of an ARM resource becomes a `microsoft.resources/changes` row of
 * `resourcechanges` (resources, child resources included) or `resourcecontainerchanges`
 * (subscriptions and resource groups), with the target's id and type, the kind of change, when
 * it happened and, for updates, which properties changed. Role assignments and definitions are
 * authorization resources, not tracked there, and neither is anything inside a cluster's
 * Kubernetes API. Row shape: Microsoft.Resources/changes (2022-05-01, ListChanges example in
 * Azure/azure-rest-api-specs) inside ARG's standard columns; see emulator/README.md.
 */

export const ChangeType = { Create: "Create", Update: "Update", Delete: "Delete" } as const;
export type ChangeType = (typeof ChangeType)[keyof typeof ChangeType];

export interface ChangeRecord {
  table: "resourcechanges" | "resourcecontainerchanges";
  targetResourceId: string;
  targetResourceType: string;
  changeType: ChangeType;
  timestamp: string;
  changes: Record<string, { propertyChangeType: "Insert" | "Update" | "Remove"; changeCategory: "User" | "System"; previousValue: string; newValue: string }>;
  changeId: string;
  correlationId: string;
  operation: string;
  changedBy: string;
  clientType: string;
}

const CONTAINER_TYPES = new Set(["microsoft.resources/subscriptions", "microsoft.resources/subscriptions/resourcegroups", "microsoft.resources/resourcegroups"]);

/** The ARM type of an id, from its provider segments (`/providers/<ns>/<type>/<name>[/<type>/<name>]`). */
export function typeOfId(id: string): string {
  const parts = id.split("/").filter(Boolean);
  if (parts.length === 2 && parts[0]!.toLowerCase() === "subscriptions") return "microsoft.resources/subscriptions";
  if (parts.length === 4 && parts[2]!.toLowerCase() === "resourcegroups") return "microsoft.resources/subscriptions/resourcegroups";
  const p = parts.findIndex((s, i) => i >= 4 && s.toLowerCase() === "providers");
  if (p < 0) return "";
  const rest = parts.slice(p + 1);
  const types = [rest[0], ...rest.slice(1).filter((_, i) => i % 2 === 0)];
  return types.join("/").toLowerCase();
}

/** Property paths that differ between two ARM bodies, as change analysis names them (`properties.x.y`, `tags.k`). */
function diff(before: unknown, after: unknown, path: string, out: ChangeRecord["changes"]): void {
  const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
  if (isObj(before) && isObj(after)) {
    for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) diff(before[k], after[k], path ? `${path}.${k}` : k, out);
    return;
  }
  const prev = before === undefined ? "null" : typeof before === "string" ? before : JSON.stringify(before);
  const next = after === undefined ? "null" : typeof after === "string" ? after : JSON.stringify(after);
  if (prev === next) return;
  const propertyChangeType = before === undefined ? "Insert" : after === undefined ? "Remove" : "Update";
  out[path] = { propertyChangeType, changeCategory: "User", previousValue: prev, newValue: next };
}

export class ChangeLog {
  private readonly records: ChangeRecord[] = [];

  /** Records one change of `target` (`before` absent: created; `after` absent: deleted). */
  record(change: { targetResourceId: string; before?: ArmWireObject; after?: ArmWireObject; operation: string; changedBy?: string; clientType?: string }): void {
    const type = typeOfId(change.targetResourceId);
    const changeType = !change.before ? ChangeType.Create : !change.after ? ChangeType.Delete : ChangeType.Update;
    const changes: ChangeRecord["changes"] = {};
    if (changeType === ChangeType.Update) {
      const { id: _a, ...before } = change.before!;
      const { id: _b, ...after } = change.after!;
      diff(before, after, "", changes);
      if (Object.keys(changes).length === 0) return;
    }
    this.records.push({
      table: CONTAINER_TYPES.has(type) ? "resourcecontainerchanges" : "resourcechanges",
      targetResourceId: change.targetResourceId,
      targetResourceType: type,
      changeType,
      timestamp: new Date().toISOString(),
      changes,
      changeId: randomUUID(),
      correlationId: randomUUID(),
      operation: change.operation.toLowerCase(),
      changedBy: change.changedBy ?? "",
      clientType: change.clientType ?? "",
    });
  }

  /** When `targetResourceId` was last created or changed (ms since epoch); undefined when it never was while the emulator ran. */
  lastWrite(targetResourceId: string): number | undefined {
    const id = targetResourceId.toLowerCase();
    const last = this.records.findLast((r) => r.targetResourceId.toLowerCase() === id && r.changeType !== ChangeType.Delete);
    return last ? Date.parse(last.timestamp) : undefined;
  }

  /** Rows of one change table in ARG's shape (lower-cased type and resource group, every standard column). */
  rows(table: string, tenantId: string): Record<string, unknown>[] {
    return this.records
      .filter((r) => r.table === table)
      .map((r) => ({
        id: `${r.targetResourceId}/providers/Microsoft.Resources/changes/${r.changeId}`,
        name: r.changeId,
        type: "microsoft.resources/changes",
        tenantId,
        kind: "",
        location: "",
        resourceGroup: (/\/resourceGroups\/([^/]+)/i.exec(r.targetResourceId)?.[1] ?? "").toLowerCase(),
        subscriptionId: subscriptionOf(r.targetResourceId) ?? "",
        managedBy: "",
        sku: null,
        plan: null,
        properties: {
          targetResourceId: r.targetResourceId,
          targetResourceType: r.targetResourceType,
          changeType: r.changeType,
          changeAttributes: {
            previousResourceSnapshotId: r.changeType === ChangeType.Create ? "" : normalizeId(`${r.changeId}-before`),
            newResourceSnapshotId: r.changeType === ChangeType.Delete ? "" : normalizeId(`${r.changeId}-after`),
            correlationId: r.correlationId,
            changedByType: r.changedBy ? "User" : "System",
            changesCount: Object.keys(r.changes).length,
            clientType: r.clientType,
            changedBy: r.changedBy,
            operation: r.operation,
            timestamp: r.timestamp,
          },
          changes: r.changes,
        },
        tags: null,
        identity: null,
        zones: null,
        extendedLocation: null,
      }));
  }
}
