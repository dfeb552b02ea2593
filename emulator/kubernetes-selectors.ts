import type { KubeWireObject } from "@/lib/model/wire";
import { status } from "./kubernetes-api";

/** Splits a label selector on commas outside `in (...)` sets. */
function splitSelector(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of s) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur);
  return out.map((x) => x.trim()).filter(Boolean);
}

type Predicate = (labels: Record<string, string>) => boolean;

/** Kubernetes label selectors: `k=v`, `k==v`, `k!=v`, `k`, `!k`, `k in (a,b)`, `k notin (a,b)`. */
export function parseLabelSelector(selector: string): Predicate {
  const preds: Predicate[] = splitSelector(selector).map((term) => {
    let m: RegExpExecArray | null;
    if ((m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term))) {
      const key = m[1]!;
      const values = m[3]!.split(",").map((v) => v.trim());
      const notin = m[2] === "notin";
      return (l) => (notin ? !(key in l) || !values.includes(l[key]!) : key in l && values.includes(l[key]!));
    }
    if ((m = /^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/.exec(term))) {
      const [, key, op, value] = m as unknown as [string, string, string, string];
      return op === "!=" ? (l) => l[key] !== value : (l) => l[key] === value;
    }
    if ((m = /^!([\w./-]+)$/.exec(term))) {
      const key = m[1]!;
      return (l) => !(key in l);
    }
    if ((m = /^([\w./-]+)$/.exec(term))) {
      const key = m[1]!;
      return (l) => key in l;
    }
    throw status(400, "BadRequest", `unable to parse requirement: invalid label selector "${selector}"`);
  });
  return (labels) => preds.every((p) => p(labels));
}

/** Field selectors on metadata.name and metadata.namespace (`=`, `==`, `!=`), the ones every kind supports. */
export function parseFieldSelector(selector: string): (o: KubeWireObject) => boolean {
  const preds = splitSelector(selector).map((term) => {
    const m = /^(metadata\.name|metadata\.namespace)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw status(400, "BadRequest", `"${term}" is not a known field selector: only "metadata.name", "metadata.namespace"`);
    const [, field, op, value] = m as unknown as [string, string, string, string];
    const get = (o: KubeWireObject) => (field === "metadata.name" ? o.metadata.name : (o.metadata.namespace ?? ""));
    return op === "!=" ? (o: KubeWireObject) => get(o) !== value : (o: KubeWireObject) => get(o) === value;
  });
  return (o) => preds.every((p) => p(o));
}

