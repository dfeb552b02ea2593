import type { NodeKind } from "@/lib/model/graph-schema";
import { normalizeId } from "@/lib/model/scope";

/** `<kind>:<normalised entity id>`: ARM ids compare case-insensitively, Kubernetes names are lower-case DNS names. */
export function nodeId(kind: NodeKind, entityId: string): string {
  return `${kind}:${normalizeId(entityId)}`;
}
